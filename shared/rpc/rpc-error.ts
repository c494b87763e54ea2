import type { RpcErrorBody } from './messages';

/** What a call rejects with unless its channel says otherwise: an Error that carries the code. */
export function defaultError(body: RpcErrorBody): Error {
  return Object.assign(new Error(body.message), { code: body.code });
}

/** The {code, message} of anything thrown, when it has both as strings. */
export function errorBodyOf(error: unknown): RpcErrorBody | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' && typeof message === 'string' ? { code, message } : undefined;
}
