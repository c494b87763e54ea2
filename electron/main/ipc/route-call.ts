import type { Envelope } from '../../../shared/ipc/envelope';
import { isTrustedSender, type SenderInfo } from '../security/trusted-sender';
import { describeUnexpected, envelopeErrorOf } from '../../../shared/error-boundaries';

export interface RouteDeps {
  /** core.dispatch: validates the channel and payload against the contract, then runs the handler. */
  dispatch(channel: unknown, payload: unknown): Promise<Envelope<unknown>>;
  allowedOrigins: readonly string[];
  /** Called for each call from our window that the person could have caused (auto-lock). */
  onActivity?: () => void;
  log?: (message: string) => void;
}

/**
 * Channels a page may call on a timer (polling the lock state); calling them
 * is not the person doing something and does not postpone the auto-lock.
 */
const PASSIVE_CHANNELS: ReadonlySet<unknown> = new Set(['vault:status']);

/**
 * One IPC call, decided: a call from anything but the main frame of our own
 * page is refused before the core sees it; everything else goes to
 * core.dispatch, which refuses unknown channels and malformed payloads. Always
 * answers an envelope, never throws, so no stack or message leaks across IPC.
 */
export async function routeCall(
  deps: RouteDeps,
  sender: SenderInfo | null,
  channel: unknown,
  payload: unknown,
): Promise<Envelope<unknown>> {
  if (!isTrustedSender(sender, deps.allowedOrigins)) {
    deps.log?.(`Refused IPC ${String(channel).slice(0, 80)} from a foreign sender`);
    return {
      error: {
        code: 'forbidden',
        message: 'This request did not come from the Custodian window and was refused.',
      },
    };
  }
  if (!PASSIVE_CHANNELS.has(channel)) deps.onActivity?.();
  try {
    return await deps.dispatch(channel, payload);
  } catch (error) {
    return envelopeErrorOf(error, 'The request', (unexpected) =>
      deps.log?.(`IPC ${String(channel).slice(0, 80)} failed: ${describeUnexpected(unexpected)}`),
    );
  }
}
