import type { ClientInfo } from '../../../shared/bridge-protocol';
import { BridgeClient, type BridgeClientOptions } from './socket-client';
import { bridgeSocketPath } from './socket-path';
import { BridgeServer, type BridgeServerOptions } from './socket-server';
import { ensureRunDir, newToken, readInstallToken, writeToken, type SocketChannel } from './token';
import { CustodianError } from '../../../shared/errors';

// The ways in, for the composition roots: the core serves a data folder on two
// channels (the agents' and the command line's admin channel), the bridge and
// the CLI connect to one. Both sides derive each channel's socket and token
// from the data folder alone, so they cannot disagree about where to meet;
// the bridge is only ever given the agents' channel.

export { BridgeClient } from './socket-client';
export type { BridgeClientOptions, BridgeClientState, BridgeEventMessage } from './socket-client';
export { BridgeServer } from './socket-server';
export type {
  BridgeConnectionInfo,
  BridgeHandler,
  BridgeHandlers,
  BridgeServerOptions,
} from './socket-server';
export { bridgeSocketPath } from './socket-path';
export type { SocketChannel } from './token';

/**
 * Checks or creates the run folder, clears a stale socket, listens, and only
 * then writes the channel's fresh token: a second core that finds this folder
 * served is refused before it can overwrite the token of the one serving it.
 */
export async function startBridgeServer(
  dataDir: string,
  options: Omit<BridgeServerOptions, 'path' | 'token'>,
): Promise<BridgeServer> {
  const channel = options.channel ?? 'agents';
  await ensureRunDir(dataDir);
  const token = newToken();
  const server = new BridgeServer({
    ...options,
    channel,
    path: bridgeSocketPath(dataDir, process.platform, channel),
    token,
  });
  await server.listen();
  try {
    await writeToken(dataDir, channel, token);
  } catch (error) {
    await server.close();
    throw error;
  }
  return server;
}

/**
 * A client of the agents' channel of the core serving `dataDir`: the bridge.
 * The token is read on every attempt: the bridge may start before the app
 * has ever created it, and the app rotates it at each start.
 */
export function bridgeClientFor(
  dataDir: string,
  client: ClientInfo,
  options: Omit<BridgeClientOptions, 'path' | 'token' | 'client'> = {},
): BridgeClient {
  return channelClient('agents', dataDir, client, options);
}

/** A client of the admin channel: the command line, and nothing else. */
export function adminClientFor(
  dataDir: string,
  client: ClientInfo,
  options: Omit<BridgeClientOptions, 'path' | 'token' | 'client'> = {},
): BridgeClient {
  return channelClient('admin', dataDir, client, options);
}

function channelClient(
  channel: SocketChannel,
  dataDir: string,
  client: ClientInfo,
  options: Omit<BridgeClientOptions, 'path' | 'token' | 'client'>,
): BridgeClient {
  return new BridgeClient({
    ...options,
    client,
    path: bridgeSocketPath(dataDir, process.platform, channel),
    token: async () => {
      const token = await readInstallToken(dataDir, channel);
      if (token === null)
        throw new CustodianError(
          'not_connected',
          'Custodian has not been started with this data folder yet.',
        );
      return token;
    },
  });
}
