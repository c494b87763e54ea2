import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirstPartyHost } from './first-party-host';

// The jwt plugin against PyJWT (Debian's python3-jwt): every token it signs,
// for each algorithm, verifies with the public key (or the HS256 secret),
// carries the claims asked for, iat at the core's time and exp at most a day
// later; what an agent passes cannot move iat, exp or a set issuer.

const VERIFIER = join(import.meta.dirname, 'pyjwt_verify.py');

interface Imported {
  info: Record<string, string>;
  sealed: Record<string, string>;
  public: Record<string, string>;
}
interface Verified {
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  error?: string;
}

function pyjwt(
  token: string,
  key: string,
  algorithm: string,
  checkTime: boolean,
  issuer?: string,
  audience?: string,
): Verified {
  return JSON.parse(
    execFileSync('/usr/bin/python3', [VERIFIER], {
      input: JSON.stringify({ token, key, algorithm, check_time: checkTime, issuer, audience }),
      encoding: 'utf8',
    }),
  ) as Verified;
}

const plugin = new FirstPartyHost('jwt');
beforeAll(() => plugin.start());
afterAll(async () => {
  expect(plugin.printedASecret()).toBe(false);
  await plugin.stop();
});

const pem = (key: KeyObject) => key.export({ format: 'pem', type: 'pkcs8' }).toString();
const publicPem = (key: KeyObject) => key.export({ format: 'pem', type: 'spki' }).toString();

interface Case {
  algorithm: string;
  key: string;
  verifyWith: string;
}
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed = generateKeyPairSync('ed25519');
const hsSecret = `hs256-shared-secret-${randomBytes(16).toString('hex')}`;
const CASES: Case[] = [
  { algorithm: 'RS256', key: pem(rsa.privateKey), verifyWith: publicPem(rsa.publicKey) },
  { algorithm: 'ES256', key: pem(ec.privateKey), verifyWith: publicPem(ec.publicKey) },
  { algorithm: 'EdDSA', key: pem(ed.privateKey), verifyWith: publicPem(ed.publicKey) },
  { algorithm: 'HS256', key: hsSecret, verifyWith: hsSecret },
];

async function imported(algorithm: string, key: string): Promise<Imported> {
  const answer = await plugin.call<Imported>('import_key', { values: { algorithm, key } });
  expect(answer.error).toBeNull();
  return answer.data;
}

async function signed(
  c: Case,
  key: Imported,
  parameters: Record<string, unknown>,
  now: number,
  fields: Record<string, string> = {},
) {
  const answer = await plugin.call<{ token: string }>('sign', {
    values: { algorithm: c.algorithm, ...fields, ...key.public },
    secrets: { key: c.key, ...key.sealed },
    parameters: { claims: {}, expires_in: 300, ...parameters },
    now,
  });
  expect(answer.error).toBeNull();
  return answer.data.token;
}

describe('jwt_sign, verified by PyJWT', () => {
  for (const c of CASES)
    it(`${c.algorithm}: the claims asked for, iat now, a bounded exp, kid and iss from the credential`, async () => {
      const key = await imported(c.algorithm, c.key);
      const now = 1_765_000_000;
      const token = await signed(
        c,
        key,
        {
          claims: { sub: 'ci', scope: 'deploy:staging', aud: ['api'], n: 3, iat: 1, exp: 9e9 },
          expires_in: 600,
        },
        now,
        { kid: 'key-2026', issuer: 'https://issuer.example' },
      );
      const verified = pyjwt(
        token,
        c.verifyWith,
        c.algorithm,
        false,
        'https://issuer.example',
        'api',
      );
      expect(verified).toEqual({
        header: { alg: c.algorithm, typ: 'JWT', kid: 'key-2026' },
        claims: {
          sub: 'ci',
          scope: 'deploy:staging',
          aud: ['api'],
          n: 3,
          iss: 'https://issuer.example',
          iat: now,
          exp: now + 600,
        },
      });
      // A token changed by one character is refused.
      const [head, body, signature = ''] = token.split('.');
      const flipped = `${head}.${body}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
      expect(pyjwt(flipped, c.verifyWith, c.algorithm, false, undefined, 'api').error).toBe(
        'InvalidSignatureError',
      );
    });

  it('a token made at the core’s current time passes PyJWT’s own exp and iat checks', async () => {
    const c = CASES[1] as Case;
    const key = await imported(c.algorithm, c.key);
    const token = await signed(c, key, { claims: { sub: 'now' } }, Math.floor(Date.now() / 1000));
    expect(pyjwt(token, c.verifyWith, c.algorithm, true).claims).toMatchObject({ sub: 'now' });
  });

  it('keeps the agent from stretching the expiry or forging the issuer', async () => {
    const c = CASES[2] as Case;
    const key = await imported(c.algorithm, c.key);
    const refused = await plugin.call('sign', {
      values: { algorithm: c.algorithm, ...key.public },
      secrets: { key: c.key, ...key.sealed },
      parameters: { claims: {}, expires_in: 86_401 },
      now: 1_765_000_000,
    });
    expect(refused.error).toBe('"expires_in" must be 1 to 86400 seconds');
    const token = await signed(c, key, { claims: { iss: 'forged' }, expires_in: 86_400 }, 100, {
      issuer: 'real',
    });
    expect(pyjwt(token, c.verifyWith, c.algorithm, false).claims).toEqual({
      iss: 'real',
      iat: 100,
      exp: 100 + 86_400,
    });
  });
});

describe('import_key', () => {
  it('shows the key type, the thumbprint and the public JWK; seals the private JWK', async () => {
    const key = await imported('ES256', pem(ec.privateKey));
    const jwk = ec.publicKey.export({ format: 'jwk' });
    expect(key.public).toEqual({ key_type: 'EC P-256' });
    expect(key.info).toMatchObject({ algorithm: 'ES256', key: 'EC P-256' });
    expect(JSON.parse(key.info.public_jwk ?? '{}')).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: jwk.x,
      y: jwk.y,
    });
    expect(key.info.thumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.parse(key.sealed.jwk ?? '{}')).toEqual(ec.privateKey.export({ format: 'jwk' }));
  });

  it('refuses to sign when the algorithm was changed after the key was imported', async () => {
    const c = CASES[3] as Case;
    const key = await imported(c.algorithm, c.key);
    const answer = await plugin.call('sign', {
      values: { algorithm: 'RS256', ...key.public },
      secrets: { key: c.key, ...key.sealed },
      parameters: { claims: {}, expires_in: 300 },
      now: 1_765_000_000,
    });
    expect(answer.error).toBe(
      "The credential's key (shared secret) does not fit its algorithm RS256: open it in Custodian and choose the matching algorithm, or paste a matching key",
    );
  });

  it('refuses a key that does not fit the algorithm, saying which', async () => {
    const refused = async (algorithm: string, key: string) =>
      (await plugin.call('import_key', { values: { algorithm, key } })).error;
    expect(await refused('ES256', pem(rsa.privateKey))).toBe(
      'This is an RSA key; ES256 needs an EC P-256 key',
    );
    expect(await refused('HS256', pem(ed.privateKey))).toBe(
      'HS256 signs with a shared secret, not a PEM key: choose RS256, ES256 or EdDSA for this key',
    );
    expect(await refused('HS256', 'short')).toBe(
      'An HS256 secret must be at least 32 bytes (RFC 7518 3.2)',
    );
    expect(await refused('RS256', 'not a pem')).toBe(
      'Paste a PEM private key (-----BEGIN PRIVATE KEY-----) for RS256',
    );
  });
});
