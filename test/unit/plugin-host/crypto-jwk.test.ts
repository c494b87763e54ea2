import { createPublicKey, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CryptoRequest } from '../../../shared/plugin-abi';
import { runCrypto } from '../../../electron/plugin-host/host-functions/crypto';
import { CallSecrets } from '../../../electron/plugin-host/host-functions/handles';
import { HostFunctionError } from '../../../electron/plugin-host/host-functions/json';

// ed25519_sign, ecdsa_sign and rsa_sign with the key as a handle to sealed
// JWK text (what an import keeps): signatures that verify, and every way to
// give the key otherwise refused without quoting it.

const HANDLE = 'custodian-handle:jwk';
const data = Buffer.from('signed by handle').toString('base64');

function sealed(privateKey: KeyObject): CallSecrets {
  const jwk = JSON.stringify(privateKey.export({ format: 'jwk' }));
  return new CallSecrets([{ handle: HANDLE, field: 'signing_key', value: jwk }]);
}

function signature(request: Record<string, unknown>, secrets: CallSecrets): Buffer {
  const answer = runCrypto(request as unknown as CryptoRequest, secrets) as { result: string };
  return Buffer.from(answer.result, 'base64');
}

function refusal(request: Record<string, unknown>, secrets: CallSecrets): string {
  try {
    runCrypto(request as unknown as CryptoRequest, secrets);
  } catch (error) {
    expect(error).toBeInstanceOf(HostFunctionError);
    return (error as Error).message;
  }
  throw new Error('not refused');
}

describe('signing with a sealed JWK by handle', () => {
  it('ed25519_sign', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const sig = signature({ op: 'ed25519_sign', jwk: HANDLE, data }, sealed(privateKey));
    expect(verify(null, Buffer.from(data, 'base64'), publicKey, sig)).toBe(true);
  });

  it.each([
    ['P-256', 32],
    ['P-384', 48],
  ])('ecdsa_sign on %s answers r || s', (namedCurve, size) => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
    const sig = signature(
      { op: 'ecdsa_sign', hash: 'sha256', jwk: HANDLE, data },
      sealed(privateKey),
    );
    expect(sig.length).toBe(2 * size);
    expect(
      verify(
        'sha256',
        Buffer.from(data, 'base64'),
        { key: publicKey, dsaEncoding: 'ieee-p1363' },
        sig,
      ),
    ).toBe(true);
  });

  it.each(['pkcs1', 'pss'])('rsa_sign with %s padding', (padding) => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const sig = signature(
      { op: 'rsa_sign', padding, hash: 'sha512', jwk: HANDLE, data },
      sealed(privateKey),
    );
    const publicKey = createPublicKey(privateKey);
    const options =
      padding === 'pss'
        ? { key: publicKey, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 64 }
        : { key: publicKey };
    expect(verify('sha512', Buffer.from(data, 'base64'), options, sig)).toBe(true);
  });

  it('refuses a key given inline, as bytes or as an object: keys travel by handle', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const jwk = privateKey.export({ format: 'jwk' });
    const secrets = sealed(privateKey);
    for (const inline of [JSON.stringify(jwk), jwk, { handle: HANDLE }]) {
      const message = refusal({ op: 'ed25519_sign', jwk: inline, data }, secrets);
      expect(message).toBe('"jwk" takes a handle, not inline key material: keys travel by handle');
      expect(message).not.toContain(jwk.d);
    }
  });

  it('refuses a handle of another call, a key of another kind, and a key given twice', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const secrets = sealed(privateKey);
    expect(refusal({ op: 'ed25519_sign', jwk: 'custodian-handle:other', data }, secrets)).toMatch(
      /"jwk" is not a handle of this call/,
    );
    expect(
      refusal({ op: 'rsa_sign', padding: 'pkcs1', hash: 'sha256', jwk: HANDLE, data }, secrets),
    ).toBe('rsa_sign: the key behind "jwk" is not an RSA private key');
    expect(refusal({ op: 'ecdsa_sign', hash: 'sha256', jwk: HANDLE, data }, secrets)).toBe(
      'ecdsa_sign: the key behind "jwk" is not an EC private key on P-256 or P-384',
    );
    expect(refusal({ op: 'ed25519_sign', jwk: HANDLE, seed: 'AAAA', data }, secrets)).toMatch(
      /give the key once/,
    );
    const text = new CallSecrets([{ handle: HANDLE, field: 'k', value: 'not json at all' }]);
    expect(refusal({ op: 'ed25519_sign', jwk: HANDLE, data }, text)).toBe(
      'ed25519_sign: the key behind "jwk" is not JWK JSON text',
    );
  });
});
