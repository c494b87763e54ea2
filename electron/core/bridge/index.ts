import type { ClientInfo } from '../../../shared/bridge-protocol';
import { BridgeClient, type BridgeClientOptions } from './socket-client';
import { bridgeSocketPath } from './socket-path';
import { BridgeServer, type BridgeServerOptions } from './socket-server';
import { ensureRunDir, loadOrCreateToken, readInstallToken } from './token';

// The two ways in, for the composition roots: the core serves a data folder,
// the bridge and the CLI connect to one. Both derive the socket and the token
// from the data folder alone, so they cannot disagree about where to meet.

export { BridgeClient } from './socket-client';
export type { BridgeClientOptions, BridgeClientState, BridgeEventMessage } from './socket-client';
export { BridgeServer } from './socket-server';
export type {
  BridgeConnectionInfo,
  BridgeHandler,
  BridgeHandlers,
  BridgeServerOptions,
} from './socket-server';
import { CustodianError } from '../../../shared/errors';
export { bridgeSocketPath } from './socket-path';

/** Checks or creates the run folder and token, clears a stale socket, listens. */
export async function startBridgeServer(
  dataDir: string,
  options: Omit<BridgeServerOptions, 'path' | 'token'>,
): Promise<BridgeServer> {
  await ensureRunDir(dataDir);
  const token = await loadOrCreateToken(dataDir);
  const server = new BridgeServer({ ...options, path: bridgeSocketPath(dataDir), token });
  await server.listen();
  return server;
}

/**
 * A client for the core serving `dataDir`. The token is read on every
 * attempt: the bridge may start before the app has ever created it.
 */
export function bridgeClientFor(
  dataDir: string,
  client: ClientInfo,
  options: Omit<BridgeClientOptions, 'path' | 'token' | 'client'> = {},
): BridgeClient {
  return new BridgeClient({
    ...options,
    client,
    path: bridgeSocketPath(dataDir),
    token: async () => {
      const token = await readInstallToken(dataDir);
      if (token === null)
        throw new CustodianError(
          'not_connected',
          'Custodian has not been started with this data folder yet.',
        );
      return token;
    },
  });
}
