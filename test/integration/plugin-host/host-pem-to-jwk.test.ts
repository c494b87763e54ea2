import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDLE_PREFIX } from '../../../shared/plugin-abi';
import { HostProcess, pluginInput } from './host-process';

// pem_to_jwk through the real host: what an import entry (which holds the PEM
// as a value) seals for the JWK signing ops. It takes bytes, never a handle,
// so no key held by handle can come back as bytes through it.

let host: HostProcess;
beforeAll(async () => {
  host = new HostProcess();
  await host.ready;
  expect(await host.load('crypto-probe', { grants: { crypto: true } })).toMatchObject({ ok: true });
});
afterAll(() => host.stop());

const pemOf = (key: KeyObject) => key.export({ format: 'pem', type: 'pkcs8' }).toString();
const convert = async (pem: string | Record<string, unknown>) => {
  const answer = await host.callJson(
    'crypto-probe',
    pluginInput('run', {
      request: {
        op: 'pem_to_jwk',
        pem: typeof pem === 'string' ? Buffer.from(pem).toString('base64') : pem,
      },
    }),
  );
  const data = answer.data as { ok: boolean; result?: string; error?: string };
  return data.ok ? JSON.parse(Buffer.from(data.result ?? '', 'base64').toString('utf8')) : data;
};

describe('pem_to_jwk', () => {
  it('turns RSA, EC P-256/P-384 and Ed25519 PKCS#8 keys into the JWK node exports', async () => {
    const keys = [
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
      generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey,
      generateKeyPairSync('ed25519').privateKey,
    ];
    for (const key of keys)
      expect(await convert(pemOf(key))).toEqual(key.export({ format: 'jwk' }));
  });

  it('reads the older RSA PRIVATE KEY and EC PRIVATE KEY forms too', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    expect(await convert(rsa.export({ format: 'pem', type: 'pkcs1' }).toString())).toEqual(
      rsa.export({ format: 'jwk' }),
    );
    expect(await convert(ec.export({ format: 'pem', type: 'sec1' }).toString())).toEqual(
      ec.export({ format: 'jwk' }),
    );
  });

  it('refuses by name what it does not accept, and never a value', async () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey;
    const x448 = generateKeyPairSync('x448').privateKey;
    const encrypted = generateKeyPairSync('ed25519').privateKey.export({
      format: 'pem',
      type: 'pkcs8',
      cipher: 'aes-256-cbc',
      passphrase: 'pass',
    });
    const cases: [string | Record<string, unknown>, string][] = [
      [pemOf(small), 'pem_to_jwk: an RSA key of 1024 bits; 2048 to 8192 are accepted'],
      [pemOf(k1), 'pem_to_jwk: an EC key on a curve other than P-256 or P-384'],
      [pemOf(x448), 'pem_to_jwk: a x448 key; RSA, EC (P-256, P-384) and Ed25519 are accepted'],
      [
        encrypted.toString(),
        'pem_to_jwk: the key is encrypted; export it without a passphrase (openssl pkcs8 -topk8 -nocrypt)',
      ],
      ['hello', 'pem_to_jwk: "pem" holds no private key (-----BEGIN PRIVATE KEY-----)'],
      [
        '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
        'pem_to_jwk: the private key could not be read',
      ],
    ];
    for (const [pem, error] of cases) expect(await convert(pem)).toEqual({ ok: false, error });
    const handle = `${HANDLE_PREFIX}${randomBytes(16).toString('hex')}`;
    const answer = await host.callJson(
      'crypto-probe',
      pluginInput('run', { request: { op: 'pem_to_jwk', pem: handle } }),
    );
    expect(answer.data).toEqual({
      ok: false,
      error: '"pem" takes bytes, not a handle; handles go only where key material does',
    });
  });
});
