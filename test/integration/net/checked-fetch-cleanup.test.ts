import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  checkedFetch,
  CheckedFetchError,
  type CheckedFetchOptions,
  type CheckedFetchPolicy,
  type CheckedRequest,
} from '../../../electron/core/net/checked-fetch';
import { eventually } from '../../support/eventually';

// Every way a checked fetch can end leaves no timer and no socket behind: a
// leftover deadline timer is what turned one bad header into a dead core
// (issue 14, attack 1). Against a real server on 127.0.0.1: the fake clock
// holds every timer the fetch arms, and none may be pending once it settled;
// the process's count of TCP sockets is back where it was soon after.

let server: Server;
let port = 0;
let closedPort = 0;
const serverSockets = new Set<Socket>();

const sockets = () =>
  process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap').length;
/** Settles when the next request reaches the server. */
let arrival: { promise: Promise<void>; resolve: () => void } = nextArrival();
function nextArrival() {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const policy = (overrides: Partial<CheckedFetchPolicy> = {}): CheckedFetchPolicy => ({
  hosts: [`127.0.0.1:${port}`, `127.0.0.1:${closedPort}`],
  allowPrivate: [`127.0.0.1:${port}`, `127.0.0.1:${closedPort}`],
  timeoutMs: 5_000,
  maxResponseBytes: 10_000,
  maxRedirects: 2,
  ...overrides,
});
const at = (path: string, p = port) => `http://127.0.0.1:${p}${path}`;

/**
 * Runs one fetch under fake timers (setTimeout and clearTimeout only: the
 * deadline is the fetch's one timer, and it can be fired on demand) and checks
 * that no timer is pending once it ended and that its sockets close; answers how
 * it ended. `meanwhile` runs once the fetch has started (to fire the deadline, to abort).
 */
async function leavesNothing(
  request: CheckedRequest,
  overrides: Partial<CheckedFetchPolicy> = {},
  options: CheckedFetchOptions = {},
  meanwhile?: () => Promise<void>,
): Promise<string> {
  const socketsBefore = sockets();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  let outcome: string;
  try {
    const pending = checkedFetch(request, policy(overrides), options);
    await meanwhile?.();
    try {
      const response = await pending;
      outcome = `status ${response.status}`;
    } catch (error) {
      outcome = error instanceof CheckedFetchError ? error.code : `uncoded ${String(error)}`;
    }
    expect(vi.getTimerCount(), `timers left after "${outcome}"`).toBe(0);
  } finally {
    vi.useRealTimers();
  }
  await eventually(() => expect(sockets()).toBe(socketsBefore), {
    message: `the sockets of "${outcome}" to close`,
  });
  return outcome;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    arrival.resolve();
    const url = req.url ?? '';
    if (url === '/raw') return res.end(JSON.stringify(req.rawHeaders));
    if (url === '/ok') return res.end('ok');
    if (url === '/slow') return; // never answers
    if (url === '/big') return res.end('x'.repeat(20_000));
    if (url === '/big-chunked') {
      res.writeHead(200);
      const send = () => {
        if (res.write('y'.repeat(1_000))) setImmediate(send);
        else res.once('drain', send);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      return send();
    }
    if (url.startsWith('/hop/')) {
      res.writeHead(302, { location: `/hop/${Number(url.slice(5)) + 1}` });
      return res.end();
    }
    if (url === '/to-ok') {
      res.writeHead(302, { location: '/ok' });
      return res.end();
    }
    res.writeHead(404).end();
  });
  server.on('connection', (socket) => {
    serverSockets.add(socket);
    socket.on('close', () => serverSockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  // A port nothing listens on: a server opened and closed again.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});

afterAll(async () => {
  for (const socket of serverSockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  arrival = nextArrival();
});

describe('no timer or socket outlives a checked fetch', () => {
  it('a header the HTTP client cannot carry (the path that used to throw inside http.request)', async () => {
    for (const value of ['price in €', 'bell\u0001', 'zero\u200bwidth'])
      expect(await leavesNothing({ url: at('/ok'), headers: { 'X-Note': value } })).toBe(
        'invalid-request',
      );
    expect(await leavesNothing({ url: at('/ok'), headers: { 'X Note': 'v' } })).toBe(
      'invalid-request',
    );
  });

  it('an answer', async () => {
    expect(await leavesNothing({ url: at('/ok') })).toBe('status 200');
  });

  it('a connection error', async () => {
    expect(await leavesNothing({ url: at('/ok', closedPort) })).toBe('network');
  });

  it('a timeout', async () => {
    const fired = await leavesNothing({ url: at('/slow') }, { timeoutMs: 60_000 }, {}, async () => {
      await arrival.promise;
      vi.advanceTimersByTime(60_000);
    });
    expect(fired).toBe('timeout');
  });

  it('an abort, before and during the request', async () => {
    expect(await leavesNothing({ url: at('/slow') }, {}, { signal: AbortSignal.abort() })).toBe(
      'aborted',
    );
    const controller = new AbortController();
    const aborted = await leavesNothing(
      { url: at('/slow') },
      {},
      { signal: controller.signal },
      async () => {
        await arrival.promise;
        controller.abort();
      },
    );
    expect(aborted).toBe('aborted');
  });

  it('redirects, followed and too many', async () => {
    expect(await leavesNothing({ url: at('/to-ok') })).toBe('status 200');
    expect(await leavesNothing({ url: at('/hop/0') })).toBe('too-many-redirects');
  });

  it('a body over the cap, declared and streamed', async () => {
    expect(await leavesNothing({ url: at('/big') })).toBe('too-large');
    expect(await leavesNothing({ url: at('/big-chunked') })).toBe('too-large');
  });
});

describe('header names that are also object keys', () => {
  it('sends __proto__ and constructor as headers (a plugin’s JSON keeps both)', async () => {
    const headers = JSON.parse('{"__proto__": "p", "constructor": "c"}') as Record<string, string>;
    const response = await checkedFetch({ url: at('/raw'), headers }, policy());
    const raw = JSON.parse(Buffer.from(response.body).toString()) as string[];
    expect(raw).toEqual(expect.arrayContaining(['__proto__', 'p', 'constructor', 'c']));
  });
});
