import { z } from 'zod';

// Error codes carried across every boundary as {code, message}. A message says
// what went wrong and where; it never holds a secret value.
export const ERROR_CODES = [
  'INVALID_REQUEST',
  'UNKNOWN_CHANNEL',
  'FORBIDDEN_SENDER',
  'VAULT_ABSENT',
  'VAULT_EXISTS',
  'VAULT_LOCKED',
  'VAULT_DAMAGED',
  'VAULT_UNSUPPORTED',
  'KDF_PARAMS_REFUSED',
  'WRONG_PASSPHRASE',
  'RECOVERY_REQUIRED',
  'KEYCHAIN_UNAVAILABLE',
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'NAME_TAKEN',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ipcErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** Per-field messages for VALIDATION_FAILED, keyed by field name. */
  fields: z.record(z.string(), z.string()).optional(),
});
export type IpcErrorShape = z.infer<typeof ipcErrorSchema>;

/** An error that is safe to show: its code and message were written for the person. */
export class CustodianError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'CustodianError';
  }

  toShape(): IpcErrorShape {
    return this.fields
      ? { code: this.code, message: this.message, fields: this.fields }
      : { code: this.code, message: this.message };
  }
}
