// The one error model. Every failure that crosses a boundary (the window's IPC,
// the local socket, an MCP result, the command line's exit status) is a
// CustodianError with one of these codes; error-boundaries.ts turns it into each
// boundary's shape. A message says what went wrong and where, written for the
// person; it never holds a secret value. Anything else thrown is a bug, and
// reaches a boundary only as `internal`, so stack traces and paths stay inside.
export const ERROR_CODES = [
  // The call itself: its shape, its method, its caller, its channel.
  'invalid_request', // the request does not match the method's contract
  'unknown_method',
  'forbidden', // this caller may not use this method (or this sender is not ours)
  'unauthorized', // missing or wrong credentials on a connection (the socket's hello)
  'unsupported_version',
  'hello_timeout',
  'bad_frame', // not JSON, not UTF-8, or not a message of the protocol
  'frame_too_large',
  'duplicate_id',
  'busy', // too many requests waiting on one connection
  // The vault.
  'vault_absent',
  'vault_exists',
  'vault_locked',
  'vault_damaged',
  'vault_unsupported',
  'kdf_params_refused',
  'wrong_passphrase',
  'recovery_required',
  'keychain_unavailable',
  // What the person or an agent asked for.
  'invalid_input', // values a rule refused; details.fields says which
  'not_found',
  'name_taken',
  // The plugin store's refusals: each says which decision would change the answer.
  'refused', // signature, hash, size or contents; details.reason names the archive check
  'unsigned', // a local archive nobody vouches for
  'downgrade', // older than the installed version
  'consent_required', // an update widens capabilities or rewords a tool
  // Files and folders Custodian refuses to use: a link, a wrong type, owner or mode.
  'unsafe_path',
  // The disk refused a write or a read: full, read-only, no permission, an I/O
  // error, or the folder gone. details.reason names the fault (disk_full,
  // quota, read_only, no_permission, io_error, missing); the message names the
  // place and what was (not) done. One mapper writes them: describeFsError.
  'storage_failed',
  // The audit log's check found a problem: an edited, cut, missing or forged part.
  'audit_tampered',
  // Between processes: raised by the side that waited, never sent by the other.
  'not_connected',
  'disconnected',
  'timeout',
  'cancelled',
  'invalid_response',
  // The command line's own: a command or option it does not understand (exit 2);
  // `custodian status` finding nothing that serves the folder (exit 3); init or
  // serve finding a core that already serves it.
  'usage',
  'not_running',
  'already_running',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const errorCodeSet: ReadonlySet<string> = new Set(ERROR_CODES);
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && errorCodeSet.has(value);
}

/** What a code may carry beyond its message. */
export interface ErrorDetails {
  /** Per-field messages for invalid_input and name_taken, keyed by field name. */
  fields?: Record<string, string>;
  /** A finer reason inside the code, e.g. the archive check that refused (`path_traversal`). */
  reason?: string;
}

/**
 * What a CustodianError is on any wire: its details sit beside the code and
 * message, the shape the window's envelope has always had.
 */
export type ErrorShape = { code: ErrorCode; message: string } & ErrorDetails;

/**
 * The details a wire body really holds, checked by hand: this file is read by
 * the window too, whose policy forbids the eval a schema library's fast path
 * tries.
 */
export function detailsOf(body: { fields?: unknown; reason?: unknown }): ErrorDetails | undefined {
  const details: ErrorDetails = {};
  const { fields, reason } = body;
  if (
    typeof fields === 'object' &&
    fields !== null &&
    !Array.isArray(fields) &&
    Object.values(fields).every((message) => typeof message === 'string')
  )
    details.fields = { ...(fields as Record<string, string>) };
  if (typeof reason === 'string' && reason.length <= 64) details.reason = reason;
  return Object.keys(details).length > 0 ? details : undefined;
}

/** The one error type: its code and message were written for the person. */
export class CustodianError extends Error {
  override readonly name = 'CustodianError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
  }

  /** Per-field messages, when the error has them. */
  get fields(): Readonly<Record<string, string>> {
    return this.details?.fields ?? {};
  }

  /** The finer reason inside the code, when there is one. */
  get reason(): string | undefined {
    return this.details?.reason;
  }

  toShape(): ErrorShape {
    return { code: this.code, message: this.message, ...this.details };
  }

  static fromShape(shape: ErrorShape): CustodianError {
    return new CustodianError(shape.code, shape.message, detailsOf(shape));
  }
}

/** True for a CustodianError, optionally one of `codes`. */
export function isCustodianError(error: unknown, ...codes: ErrorCode[]): error is CustodianError {
  return error instanceof CustodianError && (codes.length === 0 || codes.includes(error.code));
}
