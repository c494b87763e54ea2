import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkedFetch,
  CheckedFetchError,
  type CheckedFetchPolicy,
  type CheckedRequest,
  type ResolvedAddress,
} from '../../../electron/core/net/checked-fetch';

// The checked fetch against real HTTP servers on 127.0.0.1. Names are resolved
// by an injected resolver (the one seam), so "api.test" can point at loopback
// and "lan.test" at a private address without touching /etc/hosts. The server
// that must never be reached counts its requests: it stays at zero.

interface TestServer {
  server: Server;
  port: number;
  hits: { url: string; headers: IncomingMessage['headers'] }[];
}

const sockets = new Set<Socket>();
/** Settles when the connection of the latest request to /slow closes. */
let slowClosed: Promise<void> | undefined;
async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TestServer> {
  const hits: TestServer['hits'] = [];
  const server = createServer((req, res) => {
    hits.push({ url: req.url ?? '', headers: req.headers });
    handler(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, hits };
}

let allowed: TestServer;
let forbidden: TestServer;
let A = 0;
let F = 0;

const DNS: Record<string, ResolvedAddress[]> = {
  'api.test': [{ address: '127.0.0.1', family: 4 }],
  localhost: [
    { address: '::1', family: 6 },
    { address: '127.0.0.1', family: 4 },
  ],
  'lan.test': [{ address: '10.0.0.7', family: 4 }],
  'mixed.test': [
    { address: '93.184.216.34', family: 4 },
    { address: '192.168.1.10', family: 4 },
  ],
  'public.test': [{ address: '93.184.216.34', family: 4 }],
};
let lookups: string[] = [];
const resolve = async (host: string) => {
  lookups.push(host);
  const answer = DNS[host];
  if (!answer) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  return answer;
};

const policy = (overrides: Partial<CheckedFetchPolicy> = {}): CheckedFetchPolicy => ({
  hosts: [`api.test:${A}`, `127.0.0.1:${A}`],
  allowPrivate: [`api.test:${A}`, `127.0.0.1:${A}`],
  timeoutMs: 3_000,
  maxResponseBytes: 10_000,
  maxRedirects: 3,
  ...overrides,
});

async function refusal(request: CheckedRequest, p: CheckedFetchPolicy): Promise<CheckedFetchError> {
  try {
    await checkedFetch(request, p, { resolve });
  } catch (error) {
    if (error instanceof CheckedFetchError) return error;
    throw error;
  }
  throw new Error('expected the fetch to be refused');
}

beforeAll(async () => {
  forbidden = await serve((_req, res) => res.end('forbidden server reached'));
  F = forbidden.port;
  allowed = await serve((req, res) => {
    const url = req.url ?? '';
    if (url === '/ok')
      return res.end(
        JSON.stringify({ host: req.headers.host, auth: req.headers.authorization ?? null }),
      );
    if (url === '/echo-body') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => res.end(`${req.method} ${Buffer.concat(chunks).toString()}`));
      return;
    }
    const redirect = /^\/redirect\?(\d{3}):(.*)$/.exec(url);
    if (redirect) {
      res.writeHead(Number(redirect[1]), { location: decodeURIComponent(redirect[2] ?? '') });
      return res.end();
    }
    const chain = /^\/chain\/(\d+)$/.exec(url);
    if (chain) {
      res.writeHead(302, { location: `/chain/${Number(chain[1]) + 1}` });
      return res.end();
    }
    if (url === '/big') return res.end('x'.repeat(20_000));
    if (url === '/big-chunked') {
      res.writeHead(200);
      const timer = setInterval(() => res.write('y'.repeat(1_000)), 1);
      res.on('close', () => clearInterval(timer));
      return;
    }
    if (url === '/slow') {
      // Never answers; the test learns when the client gives up on it.
      slowClosed = new Promise((resolve) => req.socket.once('close', () => resolve()));
      return;
    }
    if (url === '/cookie') {
      res.setHeader('set-cookie', 'session=abc');
      return res.end('with cookie');
    }
    res.writeHead(404).end();
  });
  A = allowed.port;
});
afterAll(() => {
  for (const socket of sockets) socket.destroy();
  allowed.server.close();
  forbidden.server.close();
});

const at = (path: string, host = `127.0.0.1:${A}`) => `http://${host}${path}`;
const redirectTo = (target: string, status = 302) =>
  at(`/redirect?${status}:${encodeURIComponent(target)}`);

describe('what may be reached', () => {
  it('reaches a granted host:port on loopback that the operator allowed, pinned to the checked address', async () => {
    lookups = [];
    const response = await checkedFetch({ url: at('/ok', `api.test:${A}`) }, policy(), { resolve });
    expect(response.status).toBe(200);
    expect(JSON.parse(Buffer.from(response.body).toString())).toEqual({
      host: `api.test:${A}`,
      auth: null,
    });
    // api.test exists only in the injected resolver: the connection can only
    // have gone to the address that was checked, not to a second lookup.
    expect(lookups).toEqual(['api.test']);
  });

  it('connects to the address it checked, so a rebinding DNS cannot swap in loopback', async () => {
    let answers = 0;
    const rebinding = async (): Promise<ResolvedAddress[]> =>
      answers++ === 0
        ? [{ address: '93.184.216.34', family: 4 }]
        : [{ address: '127.0.0.1', family: 4 }];
    const before = allowed.hits.length;
    await expect(
      checkedFetch(
        { url: `http://rebind.test:${A}/ok` },
        policy({ hosts: [`rebind.test:${A}`], allowHttp: true, timeoutMs: 500 }),
        {
          resolve: rebinding,
        },
      ),
    ).rejects.toBeInstanceOf(CheckedFetchError);
    expect(answers).toBe(1);
    expect(allowed.hits.length).toBe(before);
  });

  it('refuses a granted name that resolves to loopback without an allowPrivate entry for that host:port', async () => {
    const error = await refusal({ url: `https://api.test:${A}/ok` }, policy({ allowPrivate: [] }));
    expect(error.code).toBe('forbidden-address');
    expect(error.message).toBe(
      `api.test:${A} resolves to 127.0.0.1, a loopback address; only host:port pairs the operator allowed may reach non-public addresses`,
    );
    // Another port of the same host is not the pair the operator allowed.
    const otherPort = await refusal(
      { url: `https://api.test:${A + 1}/ok` },
      policy({ hosts: [`api.test:${A + 1}`], allowPrivate: [`api.test:${A}`] }),
    );
    expect(otherPort.code).toBe('forbidden-address');
  });

  it('refuses localhost, loopback literals and private addresses', async () => {
    for (const host of [
      `localhost:${A}`,
      `127.0.0.1:${A}`,
      `[::1]:${A}`,
      `[::ffff:127.0.0.1]:${A}`,
    ]) {
      const error = await refusal(
        { url: `https://${host}/ok` },
        policy({ hosts: [host], allowPrivate: [] }),
      );
      expect(error.code, host).toBe('forbidden-address');
      expect(error.message).toMatch(/loopback/);
    }
    const lan = await refusal({ url: 'https://lan.test/' }, policy({ hosts: ['lan.test'] }));
    expect(lan.message).toMatch(/lan\.test:443 resolves to 10\.0\.0\.7, a private address/);
  });

  it('refuses a name when any one of its addresses is not public', async () => {
    const error = await refusal({ url: 'https://mixed.test/' }, policy({ hosts: ['mixed.test'] }));
    expect(error.message).toMatch(/192\.168\.1\.10, a private address/);
  });

  it('refuses a host that is not granted, and matches wildcards and ports exactly', async () => {
    const error = await refusal({ url: 'https://public.test/' }, policy());
    expect(error.code).toBe('forbidden-host');
    expect(error.message).toMatch(/^public\.test:443 is not a granted host/);
    expect(lookups).not.toContain('public.test');
    const wildcard = policy({ hosts: ['*.example.com'] });
    expect((await refusal({ url: 'https://example.com/' }, wildcard)).code).toBe('forbidden-host');
    expect((await refusal({ url: 'https://a.example.com:8443/' }, wildcard)).code).toBe(
      'forbidden-host',
    );
    expect((await refusal({ url: 'https://a.example.com.evil.org/' }, wildcard)).code).toBe(
      'forbidden-host',
    );
    expect((await refusal({ url: 'https://evilexample.com/' }, wildcard)).code).toBe(
      'forbidden-host',
    );
    // Granted, then stopped by DNS (the resolver knows no such name): the host rule passed.
    expect((await refusal({ url: 'https://a.b.example.com/' }, wildcard)).code).toBe('dns');
  });

  it('refuses plain http to a host that is not an operator-allowed private pair, before connecting', async () => {
    const error = await refusal({ url: 'http://public.test/' }, policy({ hosts: ['public.test'] }));
    expect(error.code).toBe('forbidden-scheme');
    expect(error.message).toMatch(/public\.test:80: plain http is refused/);
    expect((await refusal({ url: 'ftp://public.test/' }, policy())).code).toBe('forbidden-scheme');
  });

  it('refuses request headers the client owns, and URLs with credentials', async () => {
    const host = await refusal({ url: at('/ok'), headers: { Host: 'evil.test' } }, policy());
    expect(host.code).toBe('invalid-request');
    expect(host.message).toMatch(/"host"/);
    expect((await refusal({ url: `http://user:pw@127.0.0.1:${A}/ok` }, policy())).code).toBe(
      'invalid-request',
    );
    expect((await refusal({ url: at('/ok'), method: 'CONNECT' }, policy())).code).toBe(
      'invalid-request',
    );
  });
});

describe('redirects: every hop is checked again', () => {
  it('follows a redirect between granted places', async () => {
    const response = await checkedFetch({ url: redirectTo('/ok', 307) }, policy(), { resolve });
    expect(response.status).toBe(200);
    expect(response.redirects).toBe(1);
    expect(response.url).toBe(at('/ok'));
  });

  it('THE REDIRECT BYPASS: an allowed server answering 302 to a forbidden host is refused', async () => {
    const error = await refusal({ url: redirectTo(`http://127.0.0.1:${F}/steal`) }, policy());
    expect(error.code).toBe('forbidden-scheme');
    const https = await refusal({ url: redirectTo(`https://public.test/steal`) }, policy());
    expect(https.code).toBe('forbidden-host');
    expect(forbidden.hits).toEqual([]);
  });

  it('refuses a redirect to a granted name resolving to a private address not in allowPrivate', async () => {
    const error = await refusal(
      { url: redirectTo('https://lan.test/admin') },
      policy({ hosts: [`127.0.0.1:${A}`, 'lan.test'] }),
    );
    expect(error.code).toBe('forbidden-address');
    expect(error.message).toMatch(/lan\.test:443 resolves to 10\.0\.0\.7/);
    const loopback = await refusal(
      { url: redirectTo(`https://localhost:${F}/`) },
      policy({ hosts: [`127.0.0.1:${A}`, `localhost:${F}`] }),
    );
    expect(loopback.code).toBe('forbidden-address');
    expect(forbidden.hits).toEqual([]);
  });

  it('caps the number of redirects', async () => {
    const error = await refusal({ url: at('/chain/0') }, policy({ maxRedirects: 3 }));
    expect(error.code).toBe('too-many-redirects');
    expect(error.message).toMatch(/more than 3 redirects/);
    const none = await refusal({ url: at('/chain/0') }, policy({ maxRedirects: 0 }));
    expect(none.code).toBe('too-many-redirects');
  });

  it('drops Authorization when a redirect leaves the origin, keeps it within', async () => {
    const same = await checkedFetch(
      { url: redirectTo('/ok'), headers: { Authorization: 'Bearer abc' } },
      policy(),
      { resolve },
    );
    expect(JSON.parse(Buffer.from(same.body).toString()).auth).toBe('Bearer abc');
    const cross = await checkedFetch(
      { url: redirectTo(`http://api.test:${A}/ok`), headers: { Authorization: 'Bearer abc' } },
      policy(),
      { resolve },
    );
    expect(JSON.parse(Buffer.from(cross.body).toString())).toEqual({
      host: `api.test:${A}`,
      auth: null,
    });
  });

  it('turns a POST into a GET on 303 and keeps it on 307', async () => {
    const body = new TextEncoder().encode('payload');
    const see = await checkedFetch(
      { url: redirectTo('/echo-body', 303), method: 'POST', body },
      policy(),
      { resolve },
    );
    expect(Buffer.from(see.body).toString()).toBe('GET ');
    const keep = await checkedFetch(
      { url: redirectTo('/echo-body', 307), method: 'POST', body },
      policy(),
      { resolve },
    );
    expect(Buffer.from(keep.body).toString()).toBe('POST payload');
  });
});

describe('time and size', () => {
  it('refuses a response larger than the cap, declared or streamed', async () => {
    const declared = await refusal({ url: at('/big') }, policy({ maxResponseBytes: 10_000 }));
    expect(declared.code).toBe('too-large');
    expect(declared.message).toMatch(/20000 bytes, more than the 10000 allowed/);
    const streamed = await refusal(
      { url: at('/big-chunked') },
      policy({ maxResponseBytes: 10_000 }),
    );
    expect(streamed.code).toBe('too-large');
  });

  it('gives up when the answer takes longer than the timeout, and hangs up', async () => {
    slowClosed = undefined;
    const error = await refusal({ url: at('/slow') }, policy({ timeoutMs: 300 }));
    expect(error.code).toBe('timeout');
    // The request is abandoned, not left open behind the refusal.
    expect(slowClosed).toBeDefined();
    await slowClosed;
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(
      checkedFetch({ url: at('/slow') }, policy(), { resolve, signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'aborted' });
  });

  it('keeps no cookies and returns no set-cookie', async () => {
    const response = await checkedFetch({ url: at('/cookie') }, policy(), { resolve });
    expect(response.headers['set-cookie']).toBeUndefined();
    const next = await checkedFetch({ url: at('/ok') }, policy(), { resolve });
    expect(allowed.hits.at(-1)?.headers.cookie).toBeUndefined();
    expect(next.status).toBe(200);
  });
});
