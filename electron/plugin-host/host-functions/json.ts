// The envelope every host function speaks: a UTF-8 JSON request in, and
// {"ok":true,...} or {"ok":false,"error":"..."} out. Bytes travel as base64.

/** An error whose message is written for the plugin: it names fields, never their values. */
export class HostFunctionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostFunctionError';
  }
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Strict base64 (standard or URL-safe, padding optional): Buffer.from alone skips bad characters. */
export function decodeBase64(value: unknown, field: string): Buffer {
  if (typeof value !== 'string') throw new HostFunctionError(`"${field}" must be a base64 string`);
  const body = value.replace(/=+$/, '');
  if (!BASE64.test(value) || body.length % 4 === 1)
    throw new HostFunctionError(`"${field}" is not valid base64`);
  return Buffer.from(body.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function parseRequest(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HostFunctionError('the request is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new HostFunctionError('the request must be a JSON object');
  return value as Record<string, unknown>;
}

export const okResponse = (fields: Record<string, unknown> = {}): string =>
  JSON.stringify({ ok: true, ...fields });

export const errorResponse = (message: string): string =>
  JSON.stringify({ ok: false, error: message });

/**
 * Runs a host function body and wraps its result. A HostFunctionError's message
 * goes back to the plugin; anything else becomes `fallback`, so a library
 * error can never echo a key or an input back.
 */
export async function respond(
  fallback: string,
  body: () => Record<string, unknown> | Promise<Record<string, unknown>>,
): Promise<string> {
  try {
    return okResponse(await body());
  } catch (error) {
    return errorResponse(error instanceof HostFunctionError ? error.message : fallback);
  }
}
