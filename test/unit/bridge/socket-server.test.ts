import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_FRAME_BYTES } from '../../../shared/bridge-protocol';
import type { BridgeServer } from '../../../electron/core/bridge/socket-server';
import { eventually } from '../../support/eventually';
import { helloProof } from '../../../electron/core/bridge/token';
import { RawClient, startServer, tempDataDir, testHandlers, welcomed } from './helpers';
import { CustodianError } from '../../../shared/errors';

// The server end, driven by hand-written frames over a real Unix socket.

let dataDir: { dir: string; cleanup: () => Promise<void> };
let server: BridgeServer;
let token: string;
let path: string;
const clients: RawClient[] = [];

function raw(): RawClient {
  const client = new RawClient(path);
  clients.push(client);
  return client;
}

async function hello(name?: string): Promise<RawClient> {
  const client = await welcomed(path, token, name);
  clients.push(client);
  return client;
}

/** A second client still gets answers: one bad peer does not take the server down. */
async function expectServerStillServes(): Promise<void> {
  const other = await hello('bystander');
  other.send({ v: 2, id: 1, method: 'ping', params: {} });
  expect(await other.response(1)).toEqual({ v: 2, id: 1, result: { pong: true } });
}

beforeEach(async () => {
  dataDir = await tempDataDir();
  ({ server, token, path } = await startServer(dataDir.dir, { helloTimeoutMs: 300 }));
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server.close();
  await dataDir.cleanup();
});

describe('BridgeServer hello', () => {
  it('welcomes the right token and answers ping', async () => {
    const client = raw();
    client.hello(token);
    client.send({ v: 2, id: 7, method: 'ping', params: {} });
    const frames = await client.waitFrames(2);
    expect(frames[0]).toEqual({ v: 2, type: 'welcome', server: { version: '0.0.0-test' } });
    expect(frames[1]).toEqual({ v: 2, id: 7, result: { pong: true } });
  });

  it('speaks first: a fresh 32-byte nonce for every connection', async () => {
    const nonces = await Promise.all([raw().nonce, raw().nonce, raw().nonce]);
    for (const nonce of nonces) expect(nonce).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(nonces).size).toBe(3);
  });

  it('refuses a hello replayed on another connection: the proof answered the first nonce only', async () => {
    // A listener on the first connection captures the hello exactly as sent.
    const first = raw();
    const captured = helloProof(token, await first.nonce);
    first.helloWithProof(captured, 'victim');
    expect((await first.waitFrames(1))[0]).toMatchObject({ type: 'welcome' });

    const replay = raw();
    await replay.nonce;
    replay.helloWithProof(captured, 'victim');
    replay.send({ v: 2, id: 1, method: 'ping', params: {} });
    await replay.closed;
    expect(replay.frames).toEqual([
      { v: 2, id: null, error: { code: 'unauthorized', message: 'The token is wrong.' } },
    ]);
    expect(server.clients().map((c) => c.client.name)).toEqual(['victim']);
  });

  it('refuses the raw token itself in place of the proof', async () => {
    const client = raw();
    await client.nonce;
    client.helloWithProof(token);
    await client.closed;
    expect(client.frames[0]).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('refuses a version-2 hello that carries a token field instead of a proof', async () => {
    const client = raw();
    await client.nonce;
    client.send({ v: 2, type: 'hello', token, client: { name: 'old', version: '1' } });
    await client.closed;
    expect(client.frames[0]).toMatchObject({
      error: {
        code: 'unauthorized',
        message: 'The first message must be a hello answering the challenge with the token.',
      },
    });
  });

  it('refuses a wrong token with an error frame and closes', async () => {
    const client = raw();
    client.hello('0'.repeat(64));
    await client.closed;
    expect(client.frames).toEqual([
      { v: 2, id: null, error: { code: 'unauthorized', message: 'The token is wrong.' } },
    ]);
    expect(server.connectionCount).toBe(0);
  });

  it('refuses a request sent before any hello', async () => {
    const client = raw();
    client.send({ v: 2, id: 1, method: 'ping', params: {} });
    await client.closed;
    expect(client.frames).toHaveLength(1);
    expect(client.frames[0]).toMatchObject({ id: null, error: { code: 'unauthorized' } });
  });

  it('closes a connection that never says hello, after the hello timeout', async () => {
    const client = raw();
    await client.closed;
    expect(client.frames).toEqual([
      expect.objectContaining({ error: expect.objectContaining({ code: 'hello_timeout' }) }),
    ]);
    await expectServerStillServes();
  });

  it('refuses another protocol version', async () => {
    const client = raw();
    // Version 1's hello carried the token itself: refused by version, before anything is read.
    client.send({ v: 1, type: 'hello', token, client: { name: 'x', version: '1' } });
    await client.closed;
    expect(client.frames[0]).toMatchObject({ error: { code: 'unsupported_version' } });
  });

  it('refuses a client name with control characters (it is shown in the tray)', async () => {
    const client = raw();
    client.hello(token, 'evil\u202e');
    await client.closed;
    expect(client.frames[0]).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('lists welcomed clients by name and reports changes', async () => {
    const seen: number[] = [];
    server.onClientsChanged((list) => seen.push(list.length));
    const a = await hello('claude-desktop');
    await hello('custodian-cli');
    raw(); // connected but not yet authenticated: not counted
    expect(server.connectionCount).toBe(2);
    expect(server.clients().map((c) => c.client.name)).toEqual(['claude-desktop', 'custodian-cli']);
    a.destroy();
    await eventually(() => server.connectionCount === 1);
    expect(seen).toEqual([1, 2, 1]);
  });
});

describe('BridgeServer malformed input', () => {
  it('answers malformed JSON with an error, closes, and keeps serving others', async () => {
    const client = await hello();
    client.write(Buffer.from('{"v":2,"id":\n'));
    await client.closed;
    expect(client.frames[1]).toMatchObject({ id: null, error: { code: 'bad_frame' } });
    await expectServerStillServes();
  });

  it('answers bad UTF-8 with an error, closes, and keeps serving others', async () => {
    const client = await hello();
    const bad = Buffer.concat([
      Buffer.from('{"v":2,"id":1,"method":"ping","params":{},"x":"'),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('"}\n'),
    ]);
    client.write(bad);
    await client.closed;
    expect(client.frames[1]).toEqual({
      v: 2,
      id: null,
      error: { code: 'bad_frame', message: 'The frame is not valid UTF-8.' },
    });
    await expectServerStillServes();
  });

  it('cuts off an oversized frame without waiting for its newline', async () => {
    const client = await hello();
    client.write(Buffer.alloc(MAX_FRAME_BYTES + 10, 0x61));
    await client.closed;
    expect(client.frames[1]).toMatchObject({ id: null, error: { code: 'frame_too_large' } });
    await expectServerStillServes();
  });

  it('cuts off an unauthenticated oversized frame too', async () => {
    const client = raw();
    client.write(Buffer.alloc(MAX_FRAME_BYTES + 10, 0x20));
    await client.closed;
    expect(client.frames[0]).toMatchObject({ error: { code: 'frame_too_large' } });
  });

  it('accepts a frame of exactly the limit (it is then judged on its content)', async () => {
    const client = await hello();
    const frame = `{"v":2,"id":3,"method":"ping","params":{}}`;
    const line = frame + ' '.repeat(MAX_FRAME_BYTES - frame.length);
    expect(Buffer.byteLength(line)).toBe(MAX_FRAME_BYTES);
    client.write(Buffer.from(line + '\n'));
    expect(await client.response(3)).toEqual({ v: 2, id: 3, result: { pong: true } });
  });

  it('refuses a frame one byte over the limit even when its newline came with it, naming its id', async () => {
    const client = await hello();
    const frame = `{"v":2,"id":3,"method":"ping","params":{}}`;
    client.write(Buffer.from(frame + ' '.repeat(MAX_FRAME_BYTES + 1 - frame.length) + '\n'));
    await client.closed;
    // The id is read from the frame's beginning: the client need not wait for its own timeout.
    expect(client.frames[1]).toMatchObject({ id: 3, error: { code: 'frame_too_large' } });
  });

  it('names the id of an oversized frame still streaming, without waiting for its newline', async () => {
    const client = await hello();
    client.write(Buffer.from(`{"v":2,"id":"call-7","method":"ping","params":{"x":"`));
    client.write(Buffer.alloc(MAX_FRAME_BYTES + 10, 0x61));
    await client.closed;
    expect(client.frames[1]).toMatchObject({ id: 'call-7', error: { code: 'frame_too_large' } });
  });

  it('answers an unknown method with unknown_method and stays open', async () => {
    const client = await hello();
    client.send({ v: 2, id: 1, method: 'vault:dump', params: {} });
    client.send({ v: 2, id: 2, method: 'toString', params: {} });
    client.send({ v: 2, id: 3, method: 'ping', params: {} });
    expect(await client.response(1)).toMatchObject({ error: { code: 'unknown_method' } });
    expect(await client.response(2)).toMatchObject({ error: { code: 'unknown_method' } });
    expect(await client.response(3)).toMatchObject({ result: { pong: true } });
    expect(client.isClosed).toBe(false);
  });

  it('answers invalid params with invalid_request and stays open', async () => {
    const client = await hello();
    client.send({ v: 2, id: 1, method: 'ping', params: { extra: true } });
    expect(await client.response(1)).toMatchObject({ error: { code: 'invalid_request' } });
    client.send({ v: 2, id: 2, method: 'ping' });
    expect(await client.response(2)).toMatchObject({ result: { pong: true } });
  });

  it('closes a connection that sends valid JSON that is not a request', async () => {
    const client = await hello();
    client.send({ v: 2, id: 4, what: 'ever' });
    await client.closed;
    expect(client.frames[1]).toMatchObject({ id: 4, error: { code: 'bad_frame' } });
    await expectServerStillServes();
  });
});

describe('BridgeServer requests', () => {
  it('answers a duplicate in-flight id with duplicate_id, and the original normally', async () => {
    await server.close();
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    ({ server, path, token } = await startServer(dataDir.dir, {
      handlers: {
        ...testHandlers,
        ping: async () => {
          await gate;
          return { pong: true };
        },
      },
    }));
    const client = await hello();
    client.send({ v: 2, id: 'a', method: 'ping', params: {} });
    client.send({ v: 2, id: 'a', method: 'ping', params: {} });
    await client.waitFrames(2);
    expect(client.frames[1]).toMatchObject({ id: 'a', error: { code: 'duplicate_id' } });
    release();
    await client.waitFrames(3);
    expect(client.frames[2]).toEqual({ v: 2, id: 'a', result: { pong: true } });
    // Once answered, the id may be used again.
    client.send({ v: 2, id: 'a', method: 'ping', params: {} });
    await client.waitFrames(4);
    expect(client.frames[3]).toEqual({ v: 2, id: 'a', result: { pong: true } });
    await expectServerStillServes();
  });

  it('holds requests beyond the in-flight limit until a slot frees, in order, and answers busy past the queue', async () => {
    await server.close();
    // credentials:remove stands for any slow method: its name param tells the requests apart.
    const started: string[] = [];
    const gates = new Map<string, () => void>();
    ({ server, path, token } = await startServer(dataDir.dir, {
      maxInFlight: 2,
      maxQueued: 2,
      handlers: {
        ...testHandlers,
        'credentials:remove': async ({ name }) => {
          started.push(name);
          await new Promise<void>((resolve) => gates.set(name, resolve));
          return { name };
        },
      },
    }));
    const client = await hello();
    const call = (id: number) =>
      client.send({ v: 2, id, method: 'credentials:remove', params: { name: `c${id}` } });
    for (const id of [1, 2, 3, 4, 5]) call(id);
    // Two run, two wait, the fifth finds the queue full.
    expect(await client.response(5)).toMatchObject({ error: { code: 'busy' } });
    expect(started).toEqual(['c1', 'c2']);
    gates.get('c2')?.();
    expect(await client.response(2)).toMatchObject({ result: { name: 'c2' } });
    await eventually(() => started.length === 3);
    expect(started).toEqual(['c1', 'c2', 'c3']);
    gates.get('c1')?.();
    await eventually(() => started.length === 4);
    expect(started).toEqual(['c1', 'c2', 'c3', 'c4']);
    gates.get('c3')?.();
    gates.get('c4')?.();
    expect(await client.response(3)).toMatchObject({ result: { name: 'c3' } });
    expect(await client.response(4)).toMatchObject({ result: { name: 'c4' } });
    // Reading resumed once the queue emptied.
    call(6);
    await eventually(() => started.includes('c6'));
    gates.get('c6')?.();
    expect(await client.response(6)).toMatchObject({ result: { name: 'c6' } });
  });

  it('passes a CustodianError code through and hides other errors as internal', async () => {
    await server.close();
    const logs: string[] = [];
    ({ server, path, token } = await startServer(dataDir.dir, {
      log: (m) => logs.push(m),
      handlers: {
        ping: async () => {
          throw new CustodianError('vault_locked', 'Unlock Custodian.');
        },
        status: async () => {
          throw new Error('/secret/path exploded');
        },
      },
    }));
    const client = await hello();
    client.send({ v: 2, id: 1, method: 'ping', params: {} });
    client.send({ v: 2, id: 2, method: 'status', params: {} });
    expect(await client.response(1)).toMatchObject({
      error: { code: 'vault_locked', message: 'Unlock Custodian.' },
    });
    const internal = await client.response(2);
    expect(internal).toMatchObject({ error: { code: 'internal' } });
    expect(JSON.stringify(internal)).not.toContain('/secret/path');
    expect(logs.join('\n')).toContain('/secret/path exploded');
  });

  it('gives handlers the calling connection', async () => {
    await server.close();
    const names: string[] = [];
    ({ server, path, token } = await startServer(dataDir.dir, {
      handlers: {
        ...testHandlers,
        ping: async (_params, connection) => {
          names.push(connection.client.name);
          return { pong: true };
        },
      },
    }));
    const client = await hello('who-am-i');
    client.send({ v: 2, id: 1, method: 'ping', params: {} });
    await client.response(1);
    expect(names).toEqual(['who-am-i']);
  });
});

describe('BridgeServer events', () => {
  it('reach authenticated clients only', async () => {
    const a = await hello('a');
    const b = await hello('b');
    const stranger = raw();
    await eventually(() => server.clients().length === 2);
    server.broadcast('tools:changed', {});
    server.broadcast('vault:changed', { vault: 'unlocked' });
    const event = { v: 2, type: 'event', event: 'tools:changed', data: {} };
    expect((await a.waitFrames(3)).slice(1)).toEqual([
      event,
      { v: 2, type: 'event', event: 'vault:changed', data: { vault: 'unlocked' } },
    ]);
    expect((await b.waitFrames(3)).slice(1, 2)).toEqual([event]);
    // The stranger gets nothing but, eventually, its hello timeout.
    await stranger.closed;
    expect(stranger.frames).toEqual([
      expect.objectContaining({ error: expect.objectContaining({ code: 'hello_timeout' }) }),
    ]);
  });

  it('refuses event data that does not match its schema', () => {
    expect(() =>
      server.broadcast('vault:changed', { vault: 'open' } as unknown as { vault: 'locked' }),
    ).toThrow();
  });
});

describe('BridgeServer close', () => {
  it('drops connections and removes the socket file', async () => {
    const client = await hello();
    await server.close();
    await client.closed;
    const { access } = await import('node:fs/promises');
    await expect(access(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
