import { CustodianError } from '../../../shared/errors';
import type { BridgeMethod } from '../../../shared/bridge-protocol';
import { BridgeError, type BridgeConnectionInfo, type BridgeHandlers } from '../bridge';
import { StoreError } from '../store/store-error';
import type { Caller, UseCaseRunner } from '../use-cases';
import { runRoute } from '../use-cases/route';
import { socketRoutes, type SocketRoutes } from './socket-routes';

// The socket's adapter: every method of the table, run for the connection's
// roles through the one runner; the socket server has already checked the
// params against the protocol and checks the result on the way out.

/**
 * The roles a socket connection holds. Until issue 14 gives the agents and the
 * command line tokens of their own, one token admits both, so every
 * connection is both an agent and a command line: this is the one line issue
 * 14 changes.
 */
export function rolesOf(_connection: BridgeConnectionInfo): readonly Caller[] {
  return ['agent', 'cli'];
}

/** The socket server's handlers, one per method of `routes`. */
export function createSocketHandlers(
  runner: Pick<UseCaseRunner, 'run'>,
  routes: Partial<SocketRoutes> = socketRoutes,
): BridgeHandlers {
  const handlers: Record<string, unknown> = {};
  for (const [method, route] of Object.entries(routes) as [
    BridgeMethod,
    SocketRoutes[BridgeMethod],
  ][])
    handlers[method] = async (
      params: unknown,
      connection: BridgeConnectionInfo,
      signal: AbortSignal,
    ) => {
      try {
        return await runRoute(runner, route, params, {
          roles: rolesOf(connection),
          client: connection.client,
          signal,
        });
      } catch (error) {
        throw toBridgeError(error);
      }
    };
  return handlers as BridgeHandlers;
}

/** A core error as the protocol code that says what to do ("unlock Custodian"). */
function toBridgeError(error: unknown): unknown {
  if (error instanceof StoreError) return new BridgeError(error.refusal, error.message);
  if (!(error instanceof CustodianError)) return error;
  return new BridgeError(codeOf(error), messageOf(error));
}

function codeOf(error: CustodianError): string {
  switch (error.code) {
    case 'VAULT_LOCKED':
      return 'vault_locked';
    case 'VAULT_ABSENT':
      return 'vault_absent';
    case 'NOT_FOUND':
      return 'not_found';
    case 'FORBIDDEN_SENDER':
      return 'forbidden';
    case 'VALIDATION_FAILED':
    case 'NAME_TAKEN':
    case 'INVALID_REQUEST':
      return 'invalid_input';
    default:
      // Its message was written for the person; the code says only that it failed inside.
      return 'internal';
  }
}

function messageOf(error: CustodianError): string {
  const fields = Object.entries(error.fields ?? {});
  if (fields.length === 0) return error.message;
  return `${error.message} ${fields.map(([field, message]) => `${field}: ${message}`).join('; ')}`;
}
