import { CustodianError, detailsOf, isErrorCode, type ErrorCode, type ErrorShape } from './errors';

// Where a CustodianError leaves the core or reaches a client: one mapper per
// boundary (the window's IPC envelope, the socket's error frame, an agent's MCP
// result, the command line's exit status and stderr), all here, so a code means
// the same thing in the window, on the socket, to an agent and in a shell
// script. Anything thrown that is not a CustodianError is a bug: it leaves only
// as `internal`, with a message that quotes nothing of it (its text may hold
// data), and the log gets its type alone.

/** A short, data-free description of an unexpected error, for the log. */
export function describeUnexpected(error: unknown): string {
  if (error instanceof Error) return error.name;
  return typeof error;
}

/**
 * The shape of any failure for a wire. `where` names what failed ("tools:call",
 * "The request") in the message an unexpected error gets; `unexpected` hears
 * about such an error first, to log it.
 */
export function errorShapeOf(
  error: unknown,
  where: string,
  unexpected?: (error: unknown) => void,
): ErrorShape {
  if (error instanceof CustodianError) return error.toShape();
  unexpected?.(error);
  return { code: 'internal', message: `${where} failed unexpectedly; see the app log.` };
}

/**
 * A failure as a client received it (an IPC envelope's error, a socket error
 * frame, an RPC error body). A code this client does not know (a newer core,
 * or another channel's word) is kept as `internal`, its message as written.
 */
export function fromWireError(body: {
  code: string;
  message: string;
  fields?: unknown;
  reason?: unknown;
}): CustodianError {
  return new CustodianError(
    isErrorCode(body.code) ? body.code : 'internal',
    body.message,
    detailsOf(body),
  );
}

/** One line for a person: the message, and each field's own message after it. */
export function sentenceOf(error: CustodianError): string {
  const fields = Object.entries(error.fields);
  if (fields.length === 0) return error.message;
  return `${error.message} ${fields.map(([field, message]) => `${field}: ${message}`).join('; ')}`;
}

// ── The window's IPC envelope ───────────────────────────────────────────────

/** The envelope's error for any failure of `channel` (main's side). */
export function envelopeErrorOf(
  error: unknown,
  where: string,
  unexpected?: (error: unknown) => void,
): { error: ErrorShape } {
  return { error: errorShapeOf(error, where, unexpected) };
}

/** What the window shows for a failure that is not a CustodianError: nothing of its text. */
export const UNEXPECTED_IN_WINDOW =
  'Custodian could not complete that. Try again, and restart the app if it keeps happening.';

/** A sentence to show in the window for any failure. */
export function windowMessageOf(error: unknown): string {
  return error instanceof CustodianError ? error.message : UNEXPECTED_IN_WINDOW;
}

// ── The socket (bridge and command line) ────────────────────────────────────

/** The body of an error frame for a failed request (the server's side). */
export function frameErrorOf(error: unknown): ErrorShape {
  if (error instanceof CustodianError) return error.toShape();
  return { code: 'internal', message: 'The request failed inside Custodian.' };
}

// ── An agent's MCP result ───────────────────────────────────────────────────

export const NOT_RUNNING = 'Custodian is not running: open Custodian and try again.';
export const LOCKED = 'Custodian is locked: unlock it and try again.';
export const NO_VAULT =
  'Custodian has no vault yet: open Custodian, create the vault, and try again.';
export const LOST =
  'The connection to Custodian was lost during the call, so the tool may or may not have run. ' +
  'Open Custodian and try again.';

/** The text of a failed tools/call result: what the agent should tell its person. */
export function mcpErrorText(error: unknown, call: { tool: string; timeoutMs: number }): string {
  if (!(error instanceof CustodianError))
    return `Custodian could not run ${call.tool}: it failed unexpectedly.`;
  switch (error.code) {
    case 'vault_locked':
      return LOCKED;
    case 'vault_absent':
      return NO_VAULT;
    case 'not_connected':
      return NOT_RUNNING;
    case 'disconnected':
      return LOST;
    case 'timeout':
      return `Custodian did not finish ${call.tool} within ${Math.round(call.timeoutMs / 1000)} s; try again.`;
    case 'cancelled':
      // The SDK sends nothing for a cancelled request; this is for the log alone.
      return `The call to ${call.tool} was cancelled.`;
    case 'frame_too_large':
      return 'The arguments are too large for Custodian (1 MiB at most).';
    default:
      return `Custodian could not run ${call.tool}: ${sentenceOf(error)}`;
  }
}

// ── The command line ────────────────────────────────────────────────────────

/** Exit statuses are part of the interface: scripts branch on them. */
export const EXIT = { ok: 0, failed: 1, usage: 2, notRunning: 3 } as const;

const EXIT_BY_CODE: Partial<Record<ErrorCode, number>> = {
  usage: EXIT.usage,
  invalid_request: EXIT.usage,
  // Only `custodian status` says "not running" with its own status; any other
  // command that cannot reach the core failed (not_connected, exit 1).
  not_running: EXIT.notRunning,
};

/** The exit status a failure with `code` ends a command with. */
export function exitCodeOf(code: ErrorCode): number {
  return EXIT_BY_CODE[code] ?? EXIT.failed;
}

/** The exit status and the stderr line for a failed command. */
export function cliFailure(error: unknown): { exitCode: number; stderr: string } {
  if (error instanceof CustodianError)
    return { exitCode: exitCodeOf(error.code), stderr: `custodian: ${sentenceOf(error)}\n` };
  return {
    exitCode: EXIT.failed,
    stderr: `custodian: unexpected failure (${describeUnexpected(error)}); this is a bug in Custodian.\n`,
  };
}
