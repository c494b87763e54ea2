import type { ErrorCode } from '../../shared/errors';

/** An error answer from main: its code and message were written to be shown to the person. */
export class IpcError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Per-field messages (VALIDATION_FAILED, NAME_TAKEN), keyed by field name. */
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'IpcError';
  }
}

export function isIpcError(error: unknown, ...codes: ErrorCode[]): error is IpcError {
  return error instanceof IpcError && (codes.length === 0 || codes.includes(error.code));
}

/** A sentence to show for any failure; unexpected errors get a generic one, never raw internals. */
export function messageOf(error: unknown): string {
  if (error instanceof IpcError) return error.message;
  return 'Custodian could not complete that. Try again, and restart the app if it keeps happening.';
}
