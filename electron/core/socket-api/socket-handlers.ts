import type { BridgeMethod } from '../../../shared/bridge-protocol';
import type { BridgeConnectionInfo, BridgeHandlers } from '../bridge';
import type { Caller, UseCaseRunner } from '../use-cases';
import { runRoute } from '../use-cases/route';
import { socketRoutes, type SocketRoutes } from './socket-routes';

// The socket's adapter: every method of the table, run for the connection's
// roles through the one runner; the socket server has already checked the
// params against the protocol and checks the result on the way out.

/**
 * The roles a socket connection holds, decided by the channel it came in on
 * and nothing it says: the agents' socket (the bridge's token) gives an agent,
 * the admin socket (the command line's token) gives the command line. The
 * use cases' declared callers do the rest.
 */
export function rolesOf(connection: Pick<BridgeConnectionInfo, 'channel'>): readonly Caller[] {
  return connection.channel === 'admin' ? ['cli'] : ['agent'];
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
    ) =>
      // The core's own error travels on; the socket server maps it to a frame.
      runRoute(runner, route, params, {
        roles: rolesOf(connection),
        channel: connection.channel,
        client: connection.client,
        connection: String(connection.id),
        signal,
      });
  return handlers as BridgeHandlers;
}
