import type { Subscribe } from '../../shared/ipc/api';

import { EVENT_CHANNEL } from '../../shared/ipc/channels';

export { EVENT_CHANNEL };

type RawListener = (event: unknown, message: unknown) => void;

/** The part of ipcRenderer a subscription uses. */
export interface EventSource {
  on(channel: string, listener: RawListener): unknown;
  removeListener(channel: string, listener: RawListener): unknown;
}

/**
 * Builds `subscribe` for buildCustodianApi: one listener on the event channel
 * per subscription, filtered by event name. The page's listener gets the
 * payload only, never the IpcRendererEvent (whose `sender` is ipcRenderer).
 */
export function createSubscribe(source: EventSource): Subscribe {
  return (eventName, listener) => {
    const raw: RawListener = (_event, message) => {
      if (typeof message !== 'object' || message === null) return;
      const { event, payload } = message as { event?: unknown; payload?: unknown };
      if (event === eventName) listener(payload);
    };
    source.on(EVENT_CHANNEL, raw);
    return () => {
      source.removeListener(EVENT_CHANNEL, raw);
    };
  };
}
