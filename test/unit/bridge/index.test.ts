import { chmod, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bridgeClientFor,
  bridgeSocketPath,
  startBridgeServer,
} from '../../../electron/core/bridge';
import { tempDataDir, testHandlers } from './helpers';

let dataDir: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => (dataDir = await tempDataDir()));
afterEach(() => dataDir.cleanup());

describe('startBridgeServer and bridgeClientFor', () => {
  it('meet through the data folder alone, with a private socket', async () => {
    const server = await startBridgeServer(dataDir.dir, {
      handlers: testHandlers,
      serverVersion: '1.2.3',
    });
    const client = bridgeClientFor(dataDir.dir, { name: 'cli', version: '0.1.0' });
    try {
      expect((await stat(bridgeSocketPath(dataDir.dir))).mode & 0o777).toBe(0o600);
      await client.connect();
      expect(await client.call('ping', {})).toEqual({ pong: true });
      expect(server.clients()[0]?.client).toEqual({ name: 'cli', version: '0.1.0' });
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('refuses to serve from a run folder with loose permissions', async () => {
    const server = await startBridgeServer(dataDir.dir, {
      handlers: testHandlers,
      serverVersion: '1',
    });
    await server.close();
    await chmod(join(dataDir.dir, 'run'), 0o755);
    await expect(
      startBridgeServer(dataDir.dir, { handlers: testHandlers, serverVersion: '1' }),
    ).rejects.toThrow(/must be 0700/);
  });

  it('tells the client clearly when the token file is loose', async () => {
    const server = await startBridgeServer(dataDir.dir, {
      handlers: testHandlers,
      serverVersion: '1',
    });
    const client = bridgeClientFor(
      dataDir.dir,
      { name: 'cli', version: '1' },
      { reconnect: false },
    );
    try {
      await chmod(join(dataDir.dir, 'run', 'bridge.token'), 0o644);
      await expect(client.connect()).rejects.toThrow(/must be 0600/);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
