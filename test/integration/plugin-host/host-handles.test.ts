import {
  createCipheriv,
  createHmac,
  generateKeyPairSync,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDLE_PREFIX } from '../../../shared/plugin-abi';
import type { SecretHandle } from '../../../shared/plugin-host-protocol';
import { HostProcess, NO_GRANTS, pluginInput } from './host-process';

// Host functions taking handles, through the real host and real plugins: the
// plugin holds only the handle; the host signs, MACs, decrypts and fills HTTP
// templates with the value behind it, exactly as node:crypto does with the
// value itself. A handle this call was not given, or one where only bytes
// belong, is refused by name.

const handle = () => `${HANDLE_PREFIX}${randomBytes(16).toString('hex')}`;
const b64 = (bytes: Buffer) => bytes.toString('base64');
const fromJwk = (text: string | undefined) => Buffer.from(text ?? '', 'base64url');
const jwk = (key: KeyObject) => key.export({ format: 'jwk' });

const ed = generateKeyPairSync('ed25519');
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaJwk = jwk(rsa.privateKey);

const stored = {
  hmac: 'hmac text key, stored as typed',
  ed_seed: fromJwk(jwk(ed.privateKey).d).toString('hex'),
  ec_d: fromJwk(jwk(ec.privateKey).d).toString('hex'),
  rsa_d: b64(fromJwk(rsaJwk.d)),
  rsa_p: b64(fromJwk(rsaJwk.p)),
  rsa_q: b64(fromJwk(rsaJwk.q)),
  aes: randomBytes(32).toString('hex'),
};
const secrets: SecretHandle[] = Object.entries(stored).map(([field, value]) => ({
  handle: handle(),
  field,
  value,
}));
const h = (field: keyof typeof stored) => secrets.find((s) => s.field === field)?.handle ?? '';
const ref = (field: keyof typeof stored, encoding: string) => ({ handle: h(field), encoding });

let host: HostProcess;
beforeAll(async () => {
  host = new HostProcess();
  await host.ready;
  expect(await host.load('crypto-probe', { grants: { crypto: true } })).toMatchObject({ ok: true });
});
afterAll(async () => {
  for (const value of Object.values(stored)) expect(host.output).not.toContain(value);
  await host.stop();
});

const crypto = async (request: Record<string, unknown>, given = secrets) => {
  const result = await host.callJson('crypto-probe', pluginInput('run', { request }), given);
  expect(result.code).toBe(0);
  return result.data as { ok: boolean; result?: string; error?: string; x?: string };
};
const data = Buffer.from('sign me, by handle');

describe('crypto by handle', () => {
  it('MACs with the value behind a handle (UTF-8 by default, hex on request)', async () => {
    expect(await crypto({ op: 'hmac', alg: 'sha256', key: h('hmac'), data: b64(data) })).toEqual({
      ok: true,
      result: createHmac('sha256', stored.hmac).update(data).digest('base64'),
    });
    expect(
      await crypto({ op: 'hmac', alg: 'sha512', key: ref('aes', 'hex'), data: b64(data) }),
    ).toEqual({
      ok: true,
      result: createHmac('sha512', Buffer.from(stored.aes, 'hex')).update(data).digest('base64'),
    });
  });

  it('signs Ed25519, ECDSA P-256 and RSA as node:crypto does with the key itself', async () => {
    const edSig = await crypto({
      op: 'ed25519_sign',
      seed: ref('ed_seed', 'hex'),
      data: b64(data),
    });
    expect(edSig.result).toBe(b64(sign(null, data, ed.privateKey)));

    const ecSig = await crypto({
      op: 'ecdsa_sign',
      curve: 'p256',
      hash: 'sha256',
      d: ref('ec_d', 'hex'),
      data: b64(data),
    });
    expect(
      verify(
        'sha256',
        data,
        { key: ec.publicKey, dsaEncoding: 'ieee-p1363' },
        Buffer.from(ecSig.result ?? '', 'base64'),
      ),
    ).toBe(true);

    const rsaSig = await crypto({
      op: 'rsa_sign',
      padding: 'pkcs1',
      hash: 'sha256',
      n: b64(fromJwk(rsaJwk.n)),
      e: b64(fromJwk(rsaJwk.e)),
      d: ref('rsa_d', 'base64'),
      p: ref('rsa_p', 'base64'),
      q: ref('rsa_q', 'base64'),
      data: b64(data),
    });
    expect(rsaSig.result).toBe(b64(sign('sha256', data, rsa.privateKey)));
  });

  it('decrypts AES with a key it holds by handle', async () => {
    const key = Buffer.from(stored.aes, 'hex');
    const plain = randomBytes(32);
    const cipher = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
    const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
    expect(
      await crypto({
        op: 'aes_decrypt',
        mode: 'ecb',
        key: ref('aes', 'hex'),
        data: b64(encrypted),
      }),
    ).toEqual({ ok: true, result: b64(plain) });
  });

  it('refuses RSA components that do not form one key (a modulus of the plugin’s own)', async () => {
    // With a modulus it chose, a plugin could solve for a d it holds only by handle.
    const own = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const answer = await crypto({
      op: 'rsa_sign',
      padding: 'pkcs1',
      hash: 'sha256',
      n: b64(fromJwk(jwk(own).n)),
      e: b64(fromJwk(rsaJwk.e)),
      d: ref('rsa_d', 'base64'),
      p: ref('rsa_p', 'base64'),
      q: ref('rsa_q', 'base64'),
      data: b64(data),
    });
    expect(answer).toEqual({
      ok: false,
      error: 'rsa_sign: the key components do not form a valid key',
    });
  });

  it('refuses a handle of another call, and a handle where only bytes belong', async () => {
    const stale = h('hmac');
    const other = secrets.map((s) => ({ ...s, handle: handle() }));
    expect(await crypto({ op: 'hmac', alg: 'sha256', key: stale, data: b64(data) }, other)).toEqual(
      {
        ok: false,
        error:
          '"key" is not a handle of this call: a handle is valid only for the credential of the call that received it, and only during that call',
      },
    );
    expect(await crypto({ op: 'digest', alg: 'sha256', data: h('hmac') })).toEqual({
      ok: false,
      error: '"data" takes bytes, not a handle; handles go only where key material does',
    });
    expect(
      await crypto({
        op: 's2k',
        type: 'simple',
        hash: 'sha256',
        passphrase: h('hmac'),
        key_length: 32,
      }),
    ).toMatchObject({ ok: false, error: expect.stringContaining('takes bytes, not a handle') });
    expect(
      await crypto({ op: 'hmac', alg: 'sha256', key: ref('hmac', 'rot13'), data: b64(data) }),
    ).toEqual({ ok: false, error: '"key.encoding" must be one of utf8, hex, base64' });
  });
});

describe('the handles main sends', () => {
  it('are checked: a malformed list is a bad request, and the host goes on', async () => {
    for (const secrets of ['x', [{ handle: 'not-a-handle', field: 'k', value: 'v' }], [{}]]) {
      const response = await host.request({
        kind: 'call',
        plugin: 'crypto-probe',
        input: pluginInput('run', { request: { op: 'random', length: 1 } }),
        secrets: secrets as unknown as SecretHandle[],
      });
      expect(response).toMatchObject({ ok: false, failure: 'error' });
      if (!response.ok) expect(response.message).toMatch(/^bad request: "secrets/);
    }
    expect(await crypto({ op: 'random', length: 4 })).toMatchObject({ ok: true });
  });
});

describe('custodian_http fills {{secret:FIELD}} as the request leaves', () => {
  let server: Server;
  let port = 0;
  const seen: { url: string; authorization: string; body: string; key?: string; host?: string }[] =
    [];
  const token = `tok_${randomBytes(12).toString('hex')}`;
  const given: SecretHandle[] = [{ handle: handle(), field: 'token', value: token }];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        seen.push({
          url: req.url ?? '',
          authorization: req.headers.authorization ?? '',
          body,
          key: String(req.headers['x-api-key'] ?? ''),
          host: req.headers.host ?? '',
        });
        if (req.url === '/elsewhere') {
          res.writeHead(302, { location: `http://localhost:${port}/ok` });
          return res.end();
        }
        if (/^\/elsewhere-30[1278]$/.test(req.url ?? '')) {
          res.writeHead(Number(req.url?.slice(-3)), { location: `http://localhost:${port}/ok` });
          return res.end();
        }
        if (req.url === '/same-origin-307') {
          res.writeHead(307, { location: '/ok' });
          return res.end();
        }
        if (req.url === '/echo') return res.end(`you sent ${req.headers.authorization}`);
        if (req.url === '/echo-hex')
          return res.end(Buffer.from(req.headers.authorization ?? '').toString('hex'));
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    expect(
      await host.load('http-fetch', {
        grants: {
          ...NO_GRANTS,
          http: {
            hosts: [`127.0.0.1:${port}`, `localhost:${port}`],
            allowPrivate: [`127.0.0.1:${port}`, `localhost:${port}`],
          },
        },
      }),
    ).toMatchObject({ ok: true });
  });
  afterAll(() => server.close());

  const fetch = (path: string, extra: Record<string, unknown> = {}) =>
    host.callJson(
      'http-fetch',
      pluginInput('fetch', {
        url: `http://127.0.0.1:${port}${path}`,
        method: 'POST',
        headers: { authorization: 'Bearer {{secret:token}}' },
        body: '{"token":"{{secret:token}}"}',
        ...extra,
      }),
      given,
    );

  it('sends the value in header and body; the plugin sees only the answer', async () => {
    const answer = await fetch('/ok');
    expect(answer).toMatchObject({ code: 0, data: { status: 200, body: 'ok' } });
    expect(seen.at(-1)).toMatchObject({
      url: '/ok',
      authorization: `Bearer ${token}`,
      body: `{"token":"${token}"}`,
    });
    expect(JSON.stringify(answer)).not.toContain(token);
  });

  it('drops every header it filled when a redirect leaves the origin, whatever its name', async () => {
    const answer = await fetch('/elsewhere', {
      method: 'GET',
      body: undefined,
      headers: { 'x-api-key': '{{secret:token}}' },
    });
    expect(answer).toMatchObject({ code: 0, data: { status: 200 } });
    const [first, second] = seen.slice(-2);
    expect(first).toMatchObject({ url: '/elsewhere', key: token });
    expect(second).toMatchObject({ url: '/ok', host: `localhost:${port}`, key: '' });
  });

  it('never resends a body it filled to another origin (307, 308; 301 and 302 for a PUT)', async () => {
    for (const [status, method] of [
      [307, 'POST'],
      [308, 'POST'],
      [301, 'PUT'],
      [302, 'PUT'],
    ] as const) {
      const count = seen.length;
      const answer = await fetch(`/elsewhere-${status}`, { method });
      expect(answer).toMatchObject({ code: -1, data: null });
      expect(answer.error).toMatch(
        `127.0.0.1: the redirect to localhost:${port} would resend a request body that holds a secret to another origin; it was not followed`,
      );
      expect(seen.slice(count).map((s) => s.url)).toEqual([`/elsewhere-${status}`]);
      expect(JSON.stringify(answer)).not.toContain(token);
    }
    // The same origin keeps the body: the host the secret was meant for.
    expect(await fetch('/same-origin-307')).toMatchObject({ code: 0, data: { body: 'ok' } });
    expect(seen.at(-1)).toMatchObject({ url: '/ok', body: `{"token":"${token}"}` });
  });

  it('fills templates only for the hosts the credential allows, when it names them', async () => {
    const count = seen.length;
    // The same server under two names, both granted to the plugin; the credential allows one.
    const call = (name: string) =>
      host.callJson(
        'http-fetch',
        pluginInput('fetch', {
          url: `http://${name}:${port}/ok`,
          headers: { authorization: 'Bearer {{secret:token}}' },
        }),
        given,
        [`localhost:${port}`],
      );
    expect(await call('127.0.0.1')).toEqual({
      code: -1,
      data: null,
      error: `the credential does not allow its secrets to be sent to 127.0.0.1 (its allowed hosts: localhost:${port})`,
    });
    expect(seen.length).toBe(count);
    expect(await call('localhost')).toMatchObject({ code: 0 });
    expect(seen.at(-1)).toMatchObject({
      host: `localhost:${port}`,
      authorization: `Bearer ${token}`,
    });
  });

  it('never fills the URL', async () => {
    await fetch('/ok?t={{secret:token}}');
    expect(seen.at(-1)?.url).not.toContain(token);
  });

  it('withholds an answer that echoes the secret back, in any spelling', async () => {
    for (const path of ['/echo', '/echo-hex'])
      expect(await fetch(path)).toEqual({
        code: -1,
        data: null,
        error: "the response contained a secret of this call's credential and was withheld",
      });
  });

  it('refuses a template naming no secret field of the call', async () => {
    const count = seen.length;
    expect(await fetch('/ok', { headers: { authorization: '{{secret:password}}' } })).toEqual({
      code: -1,
      data: null,
      error:
        'header "authorization": {{secret:password}} names no secret field of this call\'s credential',
    });
    expect(seen.length).toBe(count);
  });
});
