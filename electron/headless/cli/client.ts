import type { BridgeMethod, BridgeParams, BridgeResult } from '../../../shared/bridge-protocol';
import { adminClientFor } from '../../core/bridge';
import { DEFAULT_APPROVAL_TIMEOUT_MS } from '../../core/agents/policy/approvals';
import { CLI_VERSION } from './version';
import { CustodianError } from '../../../shared/errors';

// Every command but init, serve and mcp asks the core that owns the vault
// (the app or `custodian serve`) over its admin channel (the admin socket and
// token, never the agents'): one connection, one or two calls, no reconnecting.

export const NOT_RUNNING = 'Custodian is not running: start the app or `custodian serve`';

export interface CoreConnection {
  call<M extends BridgeMethod>(method: M, params: BridgeParams<M>): Promise<BridgeResult<M>>;
  close(): Promise<void>;
}

// In the app a call may wait for the person twice (the session, then a
// weakening change), each up to the approval's limit: the command line waits
// that long on top, so the window's answer (or its refusal) is what it hears.
const PERSON_MAY_TAKE_MS = 2 * DEFAULT_APPROVAL_TIMEOUT_MS;
const DEFAULT_CALL_MS = 30_000 + PERSON_MAY_TAKE_MS;

// Calls that download (an archive of up to 32 MiB, every catalog) wait longer
// than the core's own download limits, so the core's message is what the person sees.
const SLOW_CALLS: Partial<Record<BridgeMethod, number>> = {
  'plugins:install': 180_000 + PERSON_MAY_TAKE_MS,
  'plugins:update': 180_000 + PERSON_MAY_TAKE_MS,
  'catalogs:add': 60_000 + PERSON_MAY_TAKE_MS,
  'catalogs:refresh': 180_000 + PERSON_MAY_TAKE_MS,
};

export async function connectToCore(dataDir: string): Promise<CoreConnection> {
  const client = adminClientFor(
    dataDir,
    { name: 'custodian-cli', version: CLI_VERSION },
    { reconnect: false, connectTimeoutMs: 5_000, defaultTimeoutMs: DEFAULT_CALL_MS },
  );
  try {
    await client.connect();
  } catch (error) {
    await client.close();
    // The socket's not_connected, in the command line's words.
    if (error instanceof CustodianError && error.code === 'not_connected')
      throw new CustodianError('not_connected', NOT_RUNNING);
    throw error;
  }
  return {
    call: (method, params) => client.call(method, params, { timeoutMs: SLOW_CALLS[method] }),
    close: () => client.close(),
  };
}

/** Runs `use` on a connection that is closed afterwards whatever happens. */
export async function withCore<T>(
  dataDir: string,
  use: (core: CoreConnection) => Promise<T>,
): Promise<T> {
  const core = await connectToCore(dataDir);
  try {
    return await use(core);
  } finally {
    await core.close();
  }
}

/**
 * For init and serve, which hold the vault themselves: a core already
 * serving this folder owns it, and a second one beside it would leave two
 * processes with different ideas of the vault.
 */
export async function refuseWhileServed(dataDir: string, advice: string): Promise<void> {
  try {
    const running = await connectToCore(dataDir);
    await running.close();
  } catch (error) {
    if (error instanceof CustodianError && error.code === 'not_connected') return;
    throw error;
  }
  throw new CustodianError(
    'already_running',
    `Custodian is already running on ${dataDir}: ${advice}`,
  );
}
