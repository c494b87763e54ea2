// A throw in AssemblyScript aborts the whole call, so a step that fails
// records why here and returns null or false, and the action handler turns
// the record into the response. Messages say what is wrong with the key file
// or the request, never a byte of a key or the passphrase.

export const CODE_ERROR: i32 = -1;
export const CODE_INVALID_PARAMETERS: i32 = -3;

export class Failure {
  static message: string = '';
  static code: i32 = CODE_ERROR;
}

/** Records a failure (code -1); answers false so `return fail(…)` reads as a refusal. */
export function fail(message: string): bool {
  Failure.message = message;
  Failure.code = CODE_ERROR;
  return false;
}

/** Records a bad parameter (code -3). */
export function failParameter(message: string): bool {
  Failure.message = message;
  Failure.code = CODE_INVALID_PARAMETERS;
  return false;
}
