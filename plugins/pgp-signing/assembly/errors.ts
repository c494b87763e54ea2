// AssemblyScript has no exceptions we may use (a throw aborts the whole call),
// so a function that fails records why here and returns null or false; the
// action handler turns the record into the response. Messages name what is
// wrong, never a key's bytes or the passphrase.

export const CODE_ERROR: i32 = -1;
export const CODE_INVALID_PARAMETERS: i32 = -3;

export class Failure {
  static message: string = '';
  static code: i32 = CODE_ERROR;
}

/** Records a failure (code -1); returns false so `return fail(…)` reads naturally. */
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
