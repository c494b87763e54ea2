import type { BridgeErrorCode } from '../../../shared/bridge-protocol';

/**
 * A failure with a protocol error code. Handlers throw it to answer a request
 * with that code and message; the client rejects calls with it. Any other
 * error a handler throws reaches the client only as 'internal', so stack
 * traces and paths stay in the core.
 */
export class BridgeError extends Error {
  override readonly name = 'BridgeError';

  constructor(
    readonly code: BridgeErrorCode | (string & {}),
    message: string,
  ) {
    super(message);
  }
}
