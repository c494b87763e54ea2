import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BridgeClient } from '../../../electron/core/bridge/socket-client';
import type { BridgeServer } from '../../../electron/core/bridge/socket-server';
import type { RawClient } from './helpers';
import { eventually } from '../../support/eventually';
import { startServer, tempDataDir, testHandlers, welcomed } from './helpers';

// The socket's cancel message, {v, type: 'cancel', id}: the client sends it
// when a call's signal fires, and the server aborts that request's handler,
// or never starts it if it was still waiting for a slot.

let dataDir: { dir: string; cleanup: () => Promise<void> };
let server: BridgeServer;
let token: string;
let path: string;
const raws: RawClient[] = [];
const clients: BridgeClient[] = [];
/** credentials:remove stands for any slow method: its name tells the requests apart. */
let started: { name: string; signal: AbortSignal }[];

beforeEach(async () => {
  dataDir = await tempDataDir();
  started = [];
  ({ server, token, path } = await startServer(dataDir.dir, {
    maxInFlight: 1,
    handlers: {
      ...testHandlers,
      'credentials:remove': ({ name }, _connection, signal) => {
        started.push({ name, signal });
        return new Promise((resolve) =>
          signal.addEventListener('abort', () => resolve({ name: `${name} stopped` })),
        );
      },
    },
  }));
});

afterEach(async () => {
  for (const raw of raws.splice(0)) raw.destroy();
  for (const c of clients.splice(0)) await c.close();
  await server.close();
  await dataDir.cleanup();
});

async function raw(): Promise<RawClient> {
  const client = await welcomed(path, token);
  raws.push(client);
  return client;
}

const remove = (id: number, name: string) => ({
  v: 2,
  id,
  method: 'credentials:remove',
  params: { name },
});

describe('BridgeServer cancel', () => {
  it('aborts the running request’s signal, and the handler’s answer still reaches the client', async () => {
    const client = await raw();
    client.send(remove(1, 'c1'));
    await eventually(() => started.length === 1);
    expect(started[0]?.signal.aborted).toBe(false);
    client.send({ v: 2, type: 'cancel', id: 1 });
    expect(await client.response(1)).toEqual({ v: 2, id: 1, result: { name: 'c1 stopped' } });
    expect(started[0]?.signal.aborted).toBe(true);
  });

  it('never starts a waiting request that is cancelled and answers it cancelled', async () => {
    const client = await raw();
    client.send(remove(1, 'c1'));
    client.send(remove(2, 'c2'));
    await eventually(() => started.length === 1);
    client.send({ v: 2, type: 'cancel', id: 2 });
    expect(await client.response(2)).toMatchObject({ id: 2, error: { code: 'cancelled' } });
    client.send({ v: 2, type: 'cancel', id: 1 });
    await client.response(1);
    // The slot is free again, and the cancelled request did not take it.
    client.send({ v: 2, id: 3, method: 'ping', params: {} });
    expect(await client.response(3)).toMatchObject({ result: { pong: true } });
    expect(started.map((s) => s.name)).toEqual(['c1']);
  });

  it('ignores a cancel for an id it does not know, and stays open', async () => {
    const client = await raw();
    client.send({ v: 2, type: 'cancel', id: 77 });
    client.send({ v: 2, id: 1, method: 'ping', params: {} });
    expect(await client.response(1)).toMatchObject({ result: { pong: true } });
    expect(client.isClosed).toBe(false);
  });

  it('aborts what a client was running when it disconnects', async () => {
    const client = await raw();
    client.send(remove(1, 'c1'));
    await eventually(() => started.length === 1);
    client.destroy();
    await eventually(() => started[0]?.signal.aborted === true);
  });
});

describe('BridgeClient cancel', () => {
  it('rejects cancelled when the signal fires and tells the server, which aborts the handler', async () => {
    const c = new BridgeClient({ path, token, client: { name: 'cancel-test', version: '1' } });
    clients.push(c);
    await c.connect();
    const controller = new AbortController();
    const call = c.call('credentials:remove', { name: 'c1' }, { signal: controller.signal });
    await eventually(() => started.length === 1);
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'cancelled' });
    await eventually(() => started[0]?.signal.aborted === true);
    // The connection goes on serving.
    expect(await c.call('ping', {})).toEqual({ pong: true });
  });

  it('tells the server to stop a call whose deadline passed', async () => {
    const c = new BridgeClient({ path, token, client: { name: 'deadline-test', version: '1' } });
    clients.push(c);
    await c.connect();
    await expect(
      c.call('credentials:remove', { name: 'c1' }, { timeoutMs: 50 }),
    ).rejects.toMatchObject({ code: 'timeout' });
    await eventually(() => started[0]?.signal.aborted === true);
  });
});
