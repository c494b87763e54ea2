// The response a plugin's `execute` writes: {code, data, error}. Each writer
// sets the Extism output and returns the value `execute` should return, so a
// handler ends with `return Response.ok(data)`.

import { Host } from '@extism/as-pdk';
import { Json, JsonValue } from './json';
import { utf8 } from './encoding';
import { Request } from './request';

export const CODE_OK: i32 = 0;
export const CODE_ERROR: i32 = -1;
export const CODE_INVALID_ACTION: i32 = -2;
export const CODE_INVALID_PARAMETERS: i32 = -3;

export class Response {
  /** Success with JSON data. */
  static ok(data: JsonValue): i32 {
    return Response.write(CODE_OK, data, null);
  }

  /** Success with a string as data. */
  static okString(text: string): i32 {
    return Response.write(CODE_OK, Json.str(text), null);
  }

  /** Failure: `code` is CODE_ERROR unless a more precise one applies. */
  static error(message: string, code: i32 = CODE_ERROR): i32 {
    return Response.write(code, null, message);
  }

  static invalidAction(action: string): i32 {
    return Response.error('Unknown action "' + action + '"', CODE_INVALID_ACTION);
  }

  static invalidParameters(message: string): i32 {
    return Response.error(message, CODE_INVALID_PARAMETERS);
  }

  /** For input that is not a request at all. */
  static invalidRequest(): i32 {
    return Response.error('Invalid request: ' + Request.lastError);
  }

  /** The response as JSON text (the Vultrino ABI returns it instead of setting output). */
  static render(code: i32, data: JsonValue | null, error: string | null): string {
    const response = Json.object().setInteger('code', code);
    response.set('data', data != null ? data : Json.nil());
    response.set('error', error != null ? Json.str(error) : Json.nil());
    return response.stringify();
  }

  static write(code: i32, data: JsonValue | null, error: string | null): i32 {
    // Not Host.outputString: it sizes the output by UTF-16 length, which
    // truncates any text that is not ASCII.
    Host.output(utf8(Response.render(code, data, error)));
    return 0;
  }
}
