import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNELS, EVENT_NAMES, type ChannelName } from '../../../shared/ipc/channels';
import type { EventName, EventPayload } from '../../../shared/ipc/contract';
import type { Envelope } from '../../../shared/ipc/envelope';
import type { SenderInfo } from '../security/trusted-sender';
import { isTrustedSender } from '../security/trusted-sender';
import type { CoreEvents } from '../../core/events';
import { EVENT_CHANNEL, toEventMessage } from './event-channel';
import { routeCall, type RouteDeps } from './route-call';

export type SenderEvent = Pick<IpcMainInvokeEvent, 'senderFrame'>;
export type InvokeHandler = (event: SenderEvent, payload?: unknown) => Promise<Envelope<unknown>>;

/** What the router needs to know about the frame behind an ipcMain event. */
export function senderOf(event: SenderEvent): SenderInfo | null {
  try {
    const frame = event.senderFrame;
    // null when the frame navigated away or was destroyed: refused.
    if (!frame) return null;
    return { senderUrl: frame.url, isMainFrame: frame.parent === null };
  } catch {
    return null;
  }
}

/** One ipcMain.handle handler per channel of the contract. */
export function createIpcHandlers(deps: RouteDeps): Record<ChannelName, InvokeHandler> {
  const handlers = {} as Record<ChannelName, InvokeHandler>;
  for (const channel of CHANNELS) {
    handlers[channel] = (event, payload) => routeCall(deps, senderOf(event), channel, payload);
  }
  return handlers;
}

export type EventTarget = Pick<WebContents, 'send' | 'getURL' | 'isDestroyed'>;

/**
 * Forwards the core's events to the window on the one event channel, only
 * while it shows our page. Returns the unsubscribe.
 */
export function forwardCoreEvents(
  events: Pick<CoreEvents, 'on'>,
  target: () => EventTarget | null,
  allowedOrigins: readonly string[],
): () => void {
  const forward =
    <E extends EventName>(event: E) =>
    (payload: EventPayload<E>) => {
      const contents = target();
      if (!contents || contents.isDestroyed()) return;
      if (!isTrustedSender({ senderUrl: contents.getURL(), isMainFrame: true }, allowedOrigins))
        return;
      contents.send(EVENT_CHANNEL, toEventMessage(event, payload));
    };
  const offs = EVENT_NAMES.map((event) => events.on(event, forward(event)));
  return () => offs.forEach((off) => off());
}
