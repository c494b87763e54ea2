import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BridgeClient,
  type BridgeClientState,
  type BridgeEventMessage,
} from '../../../electron/core/bridge/socket-client';
import type { BridgeServer } from '../../../electron/core/bridge/socket-server';
import { readInstallToken } from '../../../electron/core/bridge/token';
import { eventually } from '../../support/eventually';
import { startServer, tempDataDir, testHandlers } from './helpers';

let dataDir: { dir: string; cleanup: () => Promise<void> };
let server: BridgeServer | undefined;
let path: string;
const clients: BridgeClient[] = [];

function client(
  overrides: Partial<ConstructorParameters<typeof BridgeClient>[0]> = {},
): BridgeClient {
  const c = new BridgeClient({
    path,
    // Read on each attempt, as the bridge does: a restarted server has a new token.
    token: async () => (await readInstallToken(dataDir.dir)) ?? '',
    client: { name: 'client-test', version: '1.0' },
    backoff: { initialMs: 20, maxMs: 100 },
    ...overrides,
  });
  clients.push(c);
  return c;
}

beforeEach(async () => {
  dataDir = await tempDataDir();
  ({ server, path } = await startServer(dataDir.dir));
});

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await server?.close();
  await dataDir.cleanup();
});

describe('BridgeClient', () => {
  it('connects with the token, calls ping and status, and is listed by the server', async () => {
    const c = client();
    const states: BridgeClientState[] = [];
    c.onStateChange((s) => states.push(s));
    await c.connect();
    expect(c.state).toBe('connected');
    expect(await c.call('ping', {})).toEqual({ pong: true });
    expect(await c.call('status', {})).toEqual({
      server: { version: 'test' },
      vault: 'locked',
      clients: 0,
    });
    expect(server?.clients().map((x) => x.client.name)).toEqual(['client-test']);
    expect(states).toEqual(['connected']);
  });

  it('reads the token through a function, as the bridge does', async () => {
    const c = client({ token: async () => (await readInstallToken(dataDir.dir)) ?? '' });
    await c.connect();
    expect(await c.call('ping', {})).toEqual({ pong: true });
  });

  it('rejects a wrong token with the server error and does not connect', async () => {
    const c = client({ token: 'f'.repeat(64), reconnect: false });
    await expect(c.connect()).rejects.toMatchObject({ code: 'unauthorized' });
    expect(c.state).toBe('disconnected');
    expect(c.lastError?.code).toBe('unauthorized');
  });

  it('says not_connected when nothing listens, and calls fail fast', async () => {
    await server?.close();
    server = undefined;
    const c = client({ reconnect: false });
    await expect(c.connect()).rejects.toMatchObject({ code: 'not_connected' });
    await expect(c.call('ping', {})).rejects.toMatchObject({ code: 'not_connected' });
  });

  it('passes server errors through with their code', async () => {
    const c = client();
    await c.connect();
    await expect(
      c.call('ping', { extra: 1 } as unknown as Record<string, never>),
    ).rejects.toMatchObject({ code: 'invalid_request' });
    expect(await c.call('ping', {})).toEqual({ pong: true });
  });

  it('times out a call the server never answers', async () => {
    await server?.close();
    ({ server, path } = await startServer(dataDir.dir, {
      handlers: { ...testHandlers, ping: () => new Promise(() => {}) },
    }));
    const c = client();
    await c.connect();
    await expect(c.call('ping', {}, { timeoutMs: 50 })).rejects.toMatchObject({ code: 'timeout' });
  });

  it('receives events', async () => {
    const c = client();
    const events: BridgeEventMessage[] = [];
    c.onEvent((e) => events.push(e));
    await c.connect();
    server?.broadcast('vault:changed', { vault: 'unlocked' });
    server?.broadcast('tools:changed', {});
    await eventually(() => events.length === 2);
    expect(events).toEqual([
      { event: 'vault:changed', data: { vault: 'unlocked' } },
      { event: 'tools:changed', data: {} },
    ]);
  });

  it('fails calls in flight when the server goes away, then reconnects after a restart', async () => {
    await server?.close();
    ({ server, path } = await startServer(dataDir.dir, {
      handlers: { ...testHandlers, status: () => new Promise(() => {}) },
    }));
    const c = client();
    const states: BridgeClientState[] = [];
    c.onStateChange((s) => states.push(s));
    await c.connect();
    const inFlight = c.call('status', {});
    await server?.close();
    await expect(inFlight).rejects.toMatchObject({ code: 'disconnected' });
    await eventually(() => c.state === 'disconnected');
    await expect(c.call('ping', {})).rejects.toMatchObject({ code: 'not_connected' });
    // Let a few reconnect attempts fail against nothing before the server returns.
    await new Promise((resolve) => setTimeout(resolve, 150));
    ({ server } = await startServer(dataDir.dir));
    await eventually(() => c.state === 'connected');
    expect(await c.call('ping', {})).toEqual({ pong: true });
    expect(states).toEqual(['connected', 'disconnected', 'connected']);
  });

  it('keeps trying after a first attempt that found no server', async () => {
    await server?.close();
    server = undefined;
    const c = client();
    await expect(c.connect()).rejects.toMatchObject({ code: 'not_connected' });
    ({ server } = await startServer(dataDir.dir));
    await eventually(() => c.state === 'connected');
    expect(await c.call('ping', {})).toEqual({ pong: true });
  });

  it('stops reconnecting once closed', async () => {
    const c = client();
    await c.connect();
    await c.close();
    expect(c.state).toBe('disconnected');
    await eventually(() => server?.connectionCount === 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server?.connectionCount).toBe(0);
    await expect(c.connect()).rejects.toMatchObject({ code: 'not_connected' });
  });

  it('gives up on a server that never welcomes it', async () => {
    await server?.close();
    server = undefined;
    // Reads (so it sees the client hang up) but never answers.
    const silent: Server = createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => silent.listen(path, resolve));
    try {
      const c = client({ reconnect: false, connectTimeoutMs: 100 });
      await expect(c.connect()).rejects.toMatchObject({ code: 'timeout' });
    } finally {
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
