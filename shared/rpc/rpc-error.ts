import { fromWireError } from '../error-boundaries';
import { CustodianError } from '../errors';
import type { RpcErrorBody } from './messages';

/** What a call rejects with unless its channel says otherwise: the one CustodianError. */
export function defaultError(body: RpcErrorBody): Error {
  return fromWireError(body);
}

/** The {code, message} of a CustodianError; anything else is the server's to describe. */
export function errorBodyOf(error: unknown): RpcErrorBody | undefined {
  return error instanceof CustodianError ? { code: error.code, message: error.message } : undefined;
}
