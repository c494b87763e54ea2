import {
  createCipheriv,
  createHash,
  createHmac,
  generateKeyPairSync,
  verify,
  constants,
} from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually';
import { HostProcess, NO_GRANTS, pluginInput } from './host-process';

// Host functions and imports through the real host: a module importing what it
// was not granted never loads; crypto, log and HTTP work as granted, and HTTP
// cannot be taken past its grant by a redirect; the Vultrino ABI runs with a
// WASI shim that allows only random and clock.

const TOKEN = 'tok-3f9a1c7e5b2d8046';
let host: HostProcess;

beforeAll(async () => {
  host = new HostProcess();
  await host.ready;
});
afterAll(async () => {
  expect(host.output).not.toContain(TOKEN);
  await host.stop();
});

describe('imports are checked against grants at load', () => {
  it('refuses custodian_http without the http capability, naming the import and the capability', async () => {
    const response = await host.load('undeclared-http', { grants: { crypto: true, log: true } });
    expect(response).toMatchObject({ ok: false, failure: 'capability_denied' });
    if (!response.ok) expect(response.message).toMatch(/custodian_http.*"http" capability/);
  });

  it("refuses Extism's own http_request even with http granted", async () => {
    const response = await host.load('extism-http', {
      grants: { http: { hosts: ['allowed.test'], allowPrivate: [] } },
    });
    expect(response).toMatchObject({ ok: false, failure: 'capability_denied' });
    if (!response.ok) expect(response.message).toMatch(/http_request/);
  });

  it('refuses custodian_crypto and custodian_log when not granted', async () => {
    expect(await host.load('crypto-probe')).toMatchObject({
      ok: false,
      failure: 'capability_denied',
    });
    expect(await host.load('log-spam')).toMatchObject({ ok: false, failure: 'capability_denied' });
  });
});

const b64 = (bytes: Uint8Array | string) =>
  (typeof bytes === 'string' ? Buffer.from(bytes, 'hex') : Buffer.from(bytes)).toString('base64');
const fromB64url = (text: string | undefined) => b64(Buffer.from(text ?? '', 'base64url'));

describe('custodian_crypto through the crypto-probe fixture', () => {
  beforeAll(async () => {
    expect(await host.load('crypto-probe', { grants: { crypto: true } })).toMatchObject({
      ok: true,
    });
  });
  const run = async (request: Record<string, unknown>, action = 'run') => {
    const result = await host.callJson('crypto-probe', pluginInput(action, { request }));
    expect(result.code).toBe(0);
    return result.data as Record<string, unknown>;
  };

  it('hashes and MACs', async () => {
    const data = Buffer.from('abc');
    expect(await run({ op: 'digest', alg: 'sha256', data: b64(data) })).toEqual({
      ok: true,
      result: createHash('sha256').update(data).digest('base64'),
    });
    const key = Buffer.alloc(20, 0x0b);
    const message = Buffer.from('Hi There');
    expect(
      await run({ op: 'hmac', alg: 'sha512', key: b64(key), data: b64(message) }, 'typed'),
    ).toEqual({
      ok: true,
      result: createHmac('sha512', key).update(message).digest('base64'),
    });
  });

  it('signs Ed25519 as RFC 8032 test 1 says, and verifies', async () => {
    const seed = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
    const publicKey = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
    const signature =
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';
    expect(await run({ op: 'ed25519_public_key', seed: b64(seed) }, 'typed')).toEqual({
      ok: true,
      result: b64(publicKey),
    });
    expect(await run({ op: 'ed25519_sign', seed: b64(seed), data: '' })).toEqual({
      ok: true,
      result: b64(signature),
    });
    const verified = {
      op: 'ed25519_verify',
      public_key: b64(publicKey),
      data: '',
      signature: b64(signature),
    };
    expect(await run(verified, 'typed')).toEqual({ ok: true, valid: true });
    expect(await run({ ...verified, data: b64('00') })).toEqual({ ok: true, valid: false });
  });

  it('signs ECDSA P-256 as r || s that node:crypto verifies', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = privateKey.export({ format: 'jwk' });
    const data = Buffer.from('sign me');
    const signed = await run(
      { op: 'ecdsa_sign', curve: 'p256', hash: 'sha256', d: fromB64url(jwk.d), data: b64(data) },
      'typed',
    );
    const signature = Buffer.from(String(signed.result), 'base64');
    expect(signature).toHaveLength(64);
    expect(verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(
      true,
    );
  });

  it('signs RSA PKCS#1 v1.5 and PSS that node:crypto verifies', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = privateKey.export({ format: 'jwk' });
    const key = {
      n: fromB64url(jwk.n),
      e: fromB64url(jwk.e),
      d: fromB64url(jwk.d),
      p: fromB64url(jwk.p),
      q: fromB64url(jwk.q),
    };
    const data = Buffer.from('the data');
    for (const padding of ['pkcs1', 'pss'] as const) {
      const signed = await run({
        op: 'rsa_sign',
        padding,
        hash: 'sha256',
        ...key,
        data: b64(data),
      });
      const ok = verify(
        'sha256',
        data,
        {
          key: publicKey,
          padding:
            padding === 'pss' ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING,
          saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
        },
        Buffer.from(String(signed.result), 'base64'),
      );
      expect(ok).toBe(true);
    }
  });

  it('decrypts AES-256-CFB as OpenSSL encrypts it', async () => {
    const key = Buffer.alloc(32, 7);
    const iv = Buffer.alloc(16, 9);
    const plaintext = Buffer.from('an OpenPGP secret key packet, 37 by.');
    const cipher = createCipheriv('aes-256-cfb', key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    expect(
      await run(
        { op: 'aes_decrypt', mode: 'cfb', key: b64(key), iv: b64(iv), data: b64(ciphertext) },
        'typed',
      ),
    ).toEqual({ ok: true, result: b64(plaintext) });
  });

  it('answers a bad request with an error the plugin sees, and no key material', async () => {
    const result = await run({
      op: 'ecdsa_sign',
      curve: 'p256',
      hash: 'sha256',
      d: b64('00'),
      data: '',
    });
    expect(result.ok).toBe(false);
    expect(String(result.error)).toMatch(/key/);
    const unknown = await run({ op: 'rot13' });
    expect(unknown).toMatchObject({ ok: false });
  });

  it('caps random bytes', async () => {
    const random = await run({ op: 'random', length: 32 }, 'typed');
    expect(Buffer.from(String(random.result), 'base64')).toHaveLength(32);
    expect(await run({ op: 'random', length: 10_000_000 })).toMatchObject({ ok: false });
  });
});

describe('custodian_log through the log-spam fixture', () => {
  it('scrubs the credential from every line and rate-limits a burst', async () => {
    expect(await host.load('log-spam', { grants: { log: true } })).toMatchObject({ ok: true });
    const before = host.events.length;
    const result = await host.callJson('log-spam', pluginInput('spam', { count: 100 }));
    expect(result.code).toBe(0);
    const data = result.data as { count: number; accepted: number };
    const lines = host.events
      .slice(before)
      .filter((e) => e.kind === 'log' && e.plugin === 'log-spam');
    expect(data.count).toBe(100);
    expect(data.accepted).toBeGreaterThanOrEqual(20);
    expect(data.accepted).toBeLessThan(30);
    expect(lines).toHaveLength(data.accepted);
    for (const line of lines) {
      if (line.kind !== 'log') continue;
      expect(line.message).not.toContain(TOKEN);
      expect(line.message).toMatch(/^line \d+: token=\[redacted\]$/);
    }
    // Later (the bucket refills in real time in the host process), lines pass
    // again, and a note says how many were dropped.
    await eventually(
      async () => {
        const after = host.events.length;
        await host.callJson('log-spam', pluginInput('spam', { count: 1 }));
        const next = host.events.slice(after).filter((e) => e.kind === 'log');
        expect(next[0]).toMatchObject({
          level: 'warn',
          message: expect.stringMatching(/^\d+ log line\(s\).*dropped/),
        });
        expect(next[1]).toMatchObject({ level: 'info', message: 'line 0: token=[redacted]' });
      },
      { intervalMs: 100, message: 'the log rate limit to let a line through again' },
    );
  });
});

describe('custodian_http through the http-fetch fixture and the checked fetch', () => {
  let allowed: Server;
  let forbidden: Server;
  let allowedPort = 0;
  let forbiddenPort = 0;
  const forbiddenHits: string[] = [];
  let slowClosed: Promise<void> | undefined;

  const listen = (handler: (req: IncomingMessage, res: ServerResponse) => void) =>
    new Promise<{ server: Server; port: number }>((resolve) => {
      const server = createServer(handler);
      server.listen(0, '127.0.0.1', () =>
        resolve({ server, port: (server.address() as AddressInfo).port }),
      );
    });

  beforeAll(async () => {
    ({ server: forbidden, port: forbiddenPort } = await listen((req, res) => {
      forbiddenHits.push(req.url ?? '');
      res.end('forbidden server reached');
    }));
    ({ server: allowed, port: allowedPort } = await listen((req, res) => {
      if (req.url === '/ok') return res.end(`hello ${req.headers.host}`);
      if (req.url === '/to-forbidden-host') {
        res.writeHead(302, { location: `https://127.0.0.1:${forbiddenPort}/secret` });
        return res.end();
      }
      if (req.url === '/to-private-address') {
        res.writeHead(302, { location: `https://localhost:${allowedPort}/ok` });
        return res.end();
      }
      if (req.url === '/to-self') {
        res.writeHead(307, { location: '/ok' });
        return res.end();
      }
      if (req.url === '/slow') {
        slowClosed = new Promise((resolve) => req.socket.once('close', () => resolve()));
        return; // never answers
      }
      if (req.url?.startsWith('/loop')) {
        res.writeHead(302, { location: `/loop${(req.url.length % 50) + 1}` });
        return res.end();
      }
      res.writeHead(404).end();
    }));
    const response = await host.load('http-fetch', {
      grants: {
        ...NO_GRANTS,
        http: {
          hosts: [`127.0.0.1:${allowedPort}`, `localhost:${allowedPort}`],
          allowPrivate: [`127.0.0.1:${allowedPort}`],
        },
      },
    });
    expect(response).toMatchObject({ ok: true });
  });
  afterAll(() => {
    allowed.close();
    forbidden.close();
  });

  const fetchVia = (url: string) => host.callJson('http-fetch', pluginInput('fetch', { url }));

  it('reaches a granted host:port the operator allowed on loopback', async () => {
    const result = await fetchVia(`http://127.0.0.1:${allowedPort}/ok`);
    expect(result).toMatchObject({
      code: 0,
      data: { status: 200, body: `hello 127.0.0.1:${allowedPort}` },
    });
    expect(await fetchVia(`http://127.0.0.1:${allowedPort}/to-self`)).toMatchObject({
      code: 0,
      data: { status: 200 },
    });
  });

  it('refuses a redirect from the allowed server to a host that is not granted', async () => {
    const result = await fetchVia(`http://127.0.0.1:${allowedPort}/to-forbidden-host`);
    expect(result.code).toBe(-1);
    expect(result.error).toMatch(
      new RegExp(`^127\\.0\\.0\\.1:${forbiddenPort} is not a granted host`),
    );
    expect(forbiddenHits).toEqual([]);
  });

  it('refuses a redirect to a granted name that resolves to loopback without allowPrivate', async () => {
    const result = await fetchVia(`http://127.0.0.1:${allowedPort}/to-private-address`);
    expect(result.code).toBe(-1);
    expect(result.error).toMatch(/localhost.*loopback/);
  });

  it('refuses a host that is not granted, localhost, and an endless redirect chain', async () => {
    expect((await fetchVia(`http://127.0.0.1:${forbiddenPort}/`)).code).toBe(-1);
    expect((await fetchVia(`https://localhost:${allowedPort}/ok`)).error).toMatch(/loopback/);
    expect((await fetchVia('https://example.org/')).error).toMatch(/not a granted host/);
    expect((await fetchVia(`http://127.0.0.1:${allowedPort}/loop`)).error).toMatch(
      /more than 5 redirects/,
    );
    expect(forbiddenHits).toEqual([]);
  });

  it('refuses a header HTTP cannot carry by name, and the host lives past the call’s deadline', async () => {
    // Issue 14: this header made http.request throw after the deadline timer
    // was armed; when the deadline came the timer threw and the host exited.
    const limitMs = 300;
    expect(
      await host.load('http-note', {
        fixture: 'http-fetch',
        limits: { timeoutMs: limitMs },
        grants: {
          http: { hosts: [`127.0.0.1:${allowedPort}`], allowPrivate: [`127.0.0.1:${allowedPort}`] },
        },
      }),
    ).toMatchObject({ ok: true });
    const pid = host.pid;
    const result = await host.callJson(
      'http-note',
      pluginInput('fetch', {
        url: `http://127.0.0.1:${allowedPort}/ok`,
        headers: { 'X-Note': 'price in €' },
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, limitMs * 3));
    expect(host.pid).toBe(pid);
    expect(host.child.exitCode, host.output).toBeNull();
    expect((await host.request({ kind: 'ping' })).ok).toBe(true);
    expect(await fetchVia(`http://127.0.0.1:${allowedPort}/ok`)).toMatchObject({ code: 0 });
    expect(result.code).toBe(-1);
    expect(result.error).toMatch(/header "x-note" holds "€" \(U\+20AC\)/);
  });

  it('cancels a request still running when its call times out, and the host goes on', async () => {
    // Its own instance with a short limit; the checked fetch gets what is left of the call.
    expect(
      await host.load('http-slow', {
        fixture: 'http-fetch',
        limits: { timeoutMs: 800 },
        grants: {
          http: { hosts: [`127.0.0.1:${allowedPort}`], allowPrivate: [`127.0.0.1:${allowedPort}`] },
        },
      }),
    ).toMatchObject({ ok: true });
    const response = await host.call(
      'http-slow',
      pluginInput('fetch', { url: `http://127.0.0.1:${allowedPort}/slow` }),
    );
    // Either the fetch gave up first (the plugin reports it) or the call's timer fired: both clean.
    if (response.ok && response.kind === 'output')
      expect(JSON.parse(response.output).error).toMatch(/in time/);
    else expect(response).toMatchObject({ ok: false, failure: 'timeout' });
    // The request itself was cancelled: the server sees its connection close.
    expect(slowClosed).toBeDefined();
    await slowClosed;
    expect((await host.request({ kind: 'ping' })).ok).toBe(true);
  });
});

describe('the Vultrino ABI with its deny-by-default WASI shim', () => {
  beforeAll(async () => {
    expect(await host.load('vultrino-echo')).toEqual(
      expect.objectContaining({ ok: true, abi: 'vultrino' }),
    );
  });
  const call = (action: string, parameters: Record<string, unknown> = {}) =>
    host.callJson('vultrino-echo', pluginInput(action, parameters));

  it('echoes through vultrino_alloc / vultrino_execute', async () => {
    expect(await call('echo', { message: 'hi' })).toEqual({
      code: 0,
      data: { action: 'echo', parameters: { message: 'hi' }, credential_fields: ['token'] },
      error: null,
    });
    expect(await call('fail')).toMatchObject({
      code: -1,
      error: 'vultrino-echo was asked to fail',
    });
  });

  it('runs vultrino_validate_params first: unknown action -2, rejected parameters -3', async () => {
    expect((await call('nope')).code).toBe(-2);
    expect((await call('echo', { reject: true })).code).toBe(-3);
  });

  it('allows random and the clock', async () => {
    expect((await call('random')).data).toEqual({ errno: 0, length: 32, nonzero: true });
    const clock = (await call('clock')).data as { errno: number; time_ns: number };
    expect(clock.errno).toBe(0);
    expect(Math.abs(clock.time_ns / 1e6 - Date.now())).toBeLessThan(60_000);
  });

  it('gives no environment, no stdout and no files', async () => {
    expect((await call('environ')).data).toEqual({ sizes_errno: 0, count: 0, errno: 0 });
    expect((await call('fd_write')).data).toEqual({ errno: 8, written: 0 });
    expect((await call('path_open')).data).toEqual({ errno: 2, fd: 0 });
    expect(host.output).not.toContain('vultrino-echo writes to stdout');
  });
});
