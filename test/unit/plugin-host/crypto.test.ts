import {
  constants,
  createCipheriv,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CryptoRequest } from '../../../shared/plugin-abi';
import {
  aesCfbDecrypt,
  aesCfbEncrypt,
  aesEcbDecrypt,
} from '../../../electron/plugin-host/host-functions/aes-cfb';
import { RANDOM_CAP, runCrypto } from '../../../electron/plugin-host/host-functions/crypto';
import { HostFunctionError, respond } from '../../../electron/plugin-host/host-functions/json';

// custodian_crypto against published vectors and, for signatures, round trips
// with node:crypto in both directions. AES-CFB, built on the AES block cipher,
// is checked against OpenSSL's own aes-*-cfb (present in Node, maybe not in
// Electron's BoringSSL) as an oracle.

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const b64 = (bytes: Uint8Array | string) =>
  (typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes)).toString('base64');
const fromB64url = (text: string | undefined) =>
  Buffer.from(text ?? '', 'base64url').toString('base64');
const run = (request: Record<string, unknown>) => runCrypto(request as unknown as CryptoRequest);
const result = (request: Record<string, unknown>) =>
  Buffer.from(String(run(request).result), 'base64');

function refused(request: Record<string, unknown>): string {
  try {
    run(request);
  } catch (error) {
    if (error instanceof HostFunctionError) return error.message;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('digest: FIPS 180 "abc" vectors', () => {
  it.each([
    ['sha1', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['sha224', '23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7'],
    ['sha256', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'sha384',
      'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
    ],
    [
      'sha512',
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    ],
  ])('%s', (alg, expected) => {
    expect(result({ op: 'digest', alg, data: b64('abc') }).toString('hex')).toBe(expected);
  });

  it('refuses MD5 and friends', () => {
    expect(refused({ op: 'digest', alg: 'md5', data: '' })).toMatch(/sha1, sha224/);
  });
});

describe('hmac: RFC 4231 test cases 1 and 2', () => {
  it.each([
    ['sha224', '896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22'],
    ['sha256', 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'],
    [
      'sha384',
      'afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6',
    ],
    [
      'sha512',
      '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854',
    ],
  ])('case 1, %s', (alg, expected) => {
    const mac = result({
      op: 'hmac',
      alg,
      key: b64(Buffer.alloc(20, 0x0b)),
      data: b64('Hi There'),
    });
    expect(mac.toString('hex')).toBe(expected);
  });

  it('case 2, sha256 ("Jefe")', () => {
    const mac = result({
      op: 'hmac',
      alg: 'sha256',
      key: b64('Jefe'),
      data: b64('what do ya want for nothing?'),
    });
    expect(mac.toString('hex')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });
});

describe('ed25519: RFC 8032 test 1 and round trips', () => {
  const seed = hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
  const publicKey = hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
  const signature = hex(`e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155
    5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b`);

  it('derives the public key and the signature of the empty message', () => {
    expect(result({ op: 'ed25519_public_key', seed: b64(seed) })).toEqual(publicKey);
    expect(result({ op: 'ed25519_sign', seed: b64(seed), data: '' })).toEqual(signature);
    expect(
      run({
        op: 'ed25519_verify',
        public_key: b64(publicKey),
        data: '',
        signature: b64(signature),
      }),
    ).toEqual({
      valid: true,
    });
  });

  it('signs what node:crypto verifies, and verifies what node:crypto signs', () => {
    const { privateKey, publicKey: nodePublic } = generateKeyPairSync('ed25519');
    const jwk = privateKey.export({ format: 'jwk' });
    const data = Buffer.from('message to sign');
    const signed = result({ op: 'ed25519_sign', seed: fromB64url(jwk.d), data: b64(data) });
    expect(verify(null, data, nodePublic, signed)).toBe(true);
    const nodeSigned = sign(null, data, privateKey);
    const check = { op: 'ed25519_verify', public_key: fromB64url(jwk.x), data: b64(data) };
    expect(run({ ...check, signature: b64(nodeSigned) }).valid).toBe(true);
    nodeSigned[0] = (nodeSigned[0] ?? 0) ^ 1;
    expect(run({ ...check, signature: b64(nodeSigned) }).valid).toBe(false);
    expect(run({ ...check, signature: b64('short') }).valid).toBe(false);
  });

  it('refuses a seed of the wrong size and bad base64, naming the field only', () => {
    expect(refused({ op: 'ed25519_sign', seed: b64(Buffer.alloc(31)), data: '' })).toBe(
      '"seed" must be 32 bytes, not 31',
    );
    expect(refused({ op: 'ed25519_sign', seed: 'not base64!', data: '' })).toBe(
      '"seed" is not valid base64',
    );
  });
});

describe('ecdsa: P-256 and P-384, r || s', () => {
  it.each([
    ['p256', 'P-256', 'sha256', 32],
    ['p384', 'P-384', 'sha384', 48],
  ] as const)('%s round trips with node:crypto', (curve, namedCurve, hash, size) => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
    const jwk = privateKey.export({ format: 'jwk' });
    expect(run({ op: 'ecdsa_public_key', curve, d: fromB64url(jwk.d) })).toEqual({
      x: fromB64url(jwk.x),
      y: fromB64url(jwk.y),
    });
    const data = Buffer.from('ecdsa data');
    const signed = result({ op: 'ecdsa_sign', curve, hash, d: fromB64url(jwk.d), data: b64(data) });
    expect(signed).toHaveLength(2 * size);
    expect(verify(hash, data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signed)).toBe(true);
    const nodeSigned = sign(hash, data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    const check = {
      op: 'ecdsa_verify',
      curve,
      hash,
      x: fromB64url(jwk.x),
      y: fromB64url(jwk.y),
      data: b64(data),
    };
    expect(run({ ...check, signature: b64(nodeSigned) }).valid).toBe(true);
    expect(run({ ...check, data: b64('other'), signature: b64(nodeSigned) }).valid).toBe(false);
  });

  it('accepts a scalar shorter than the curve size (a leading zero byte dropped)', () => {
    const d = Buffer.alloc(31, 0x11);
    const padded = Buffer.concat([Buffer.alloc(1), d]);
    expect(run({ op: 'ecdsa_public_key', curve: 'p256', d: b64(d) })).toEqual(
      run({ op: 'ecdsa_public_key', curve: 'p256', d: b64(padded) }),
    );
  });

  it('refuses a zero scalar and an unknown curve', () => {
    expect(
      refused({
        op: 'ecdsa_sign',
        curve: 'p256',
        hash: 'sha256',
        d: b64(Buffer.alloc(32)),
        data: '',
      }),
    ).toMatch(/do not form a valid key/);
    expect(refused({ op: 'ecdsa_public_key', curve: 'secp256k1', d: '' })).toMatch(/p256 or p384/);
  });
});

describe('rsa: PKCS#1 v1.5 and PSS from raw components', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  const components = {
    n: fromB64url(jwk.n),
    e: fromB64url(jwk.e),
    d: fromB64url(jwk.d),
    p: fromB64url(jwk.p),
    q: fromB64url(jwk.q),
  };
  const data = Buffer.from('rsa data');
  const nodeOptions = (padding: 'pkcs1' | 'pss', key: KeyObject) => ({
    key,
    padding: padding === 'pss' ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING,
    saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
  });

  it.each(['pkcs1', 'pss'] as const)(
    '%s round trips with node:crypto (sha256 and sha512)',
    (padding) => {
      for (const hash of ['sha256', 'sha512']) {
        const signed = result({ op: 'rsa_sign', padding, hash, ...components, data: b64(data) });
        expect(verify(hash, data, nodeOptions(padding, publicKey), signed)).toBe(true);
        const nodeSigned = sign(hash, data, nodeOptions(padding, privateKey));
        const check = {
          op: 'rsa_verify',
          padding,
          hash,
          n: components.n,
          e: components.e,
          data: b64(data),
        };
        expect(run({ ...check, signature: b64(nodeSigned) }).valid).toBe(true);
        expect(run({ ...check, data: b64('tampered'), signature: b64(nodeSigned) }).valid).toBe(
          false,
        );
      }
    },
  );

  it('PKCS#1 v1.5 is deterministic: the same signature as node:crypto', () => {
    const signed = result({
      op: 'rsa_sign',
      padding: 'pkcs1',
      hash: 'sha256',
      ...components,
      data: b64(data),
    });
    expect(signed).toEqual(sign('sha256', data, privateKey));
  });

  it('refuses components that do not form a key and an unknown padding, without echoing them', () => {
    const message = refused({
      op: 'rsa_sign',
      padding: 'pkcs1',
      hash: 'sha256',
      ...components,
      q: components.p,
      data: '',
    });
    expect(message).toMatch(/rsa_sign|RSA key/);
    expect(message).not.toContain(components.d.slice(0, 16));
    expect(
      refused({ op: 'rsa_sign', padding: 'oaep', hash: 'sha256', ...components, data: '' }),
    ).toMatch(/pkcs1 or pss/);
  });
});

describe('random', () => {
  it('gives the bytes asked for, up to the cap', () => {
    expect(result({ op: 'random', length: 48 })).toHaveLength(48);
    expect(result({ op: 'random', length: 0 })).toHaveLength(0);
    expect(refused({ op: 'random', length: RANDOM_CAP + 1 })).toMatch(/integer from 0 to/);
    expect(refused({ op: 'random', length: 1.5 })).toMatch(/integer/);
  });
});

describe('AES-CFB on the AES block cipher, against OpenSSL aes-*-cfb', () => {
  const lengths = [0, 1, 15, 16, 17, 31, 32, 33, 100, 1000];
  it.each([16, 24, 32])('AES-%i: decrypts what OpenSSL encrypts, at odd lengths', (keySize) => {
    for (const length of lengths) {
      const key = Buffer.from(Array.from({ length: keySize }, (_, i) => (i * 7 + keySize) & 0xff));
      const iv = Buffer.from(Array.from({ length: 16 }, (_, i) => (i * 13 + length) & 0xff));
      const plaintext = Buffer.from(Array.from({ length }, (_, i) => (i * 31 + 5) & 0xff));
      const cipher = createCipheriv(`aes-${keySize * 8}-cfb`, key, iv);
      const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      expect(Buffer.from(aesCfbDecrypt(key, iv, ciphertext)), `length ${length}`).toEqual(
        plaintext,
      );
      expect(Buffer.from(aesCfbEncrypt(key, iv, plaintext)), `length ${length}`).toEqual(
        ciphertext,
      );
      expect(
        result({
          op: 'aes_decrypt',
          mode: 'cfb',
          key: b64(key),
          iv: b64(iv),
          data: b64(ciphertext),
        }),
      ).toEqual(plaintext);
    }
  });

  it('ECB decrypts whole blocks as OpenSSL encrypts them', () => {
    const key = Buffer.alloc(16, 3);
    const plaintext = Buffer.alloc(48, 0x41);
    const cipher = createCipheriv('aes-128-ecb', key, null);
    cipher.setAutoPadding(false);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    expect(Buffer.from(aesEcbDecrypt(key, ciphertext))).toEqual(plaintext);
    expect(
      refused({ op: 'aes_decrypt', mode: 'ecb', key: b64(key), data: b64(Buffer.alloc(17)) }),
    ).toMatch(/whole 16-byte blocks/);
  });

  it.each([16, 24, 32])(
    'AES-%i CTR: decrypts what OpenSSL encrypts, the counter carrying across bytes',
    (keySize) => {
      for (const length of lengths) {
        const key = Buffer.from(
          Array.from({ length: keySize }, (_, i) => (i * 5 + keySize) & 0xff),
        );
        // A counter about to carry out of its low bytes, and one about to wrap whole.
        for (const iv of [
          Buffer.from('000102030405060708090a0bfffffffe', 'hex'),
          Buffer.alloc(16, 0xff),
        ]) {
          const plaintext = Buffer.from(Array.from({ length }, (_, i) => (i * 29 + 3) & 0xff));
          const cipher = createCipheriv(`aes-${keySize * 8}-ctr`, key, iv);
          const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
          expect(
            result({
              op: 'aes_decrypt',
              mode: 'ctr',
              key: b64(key),
              iv: b64(iv),
              data: b64(ciphertext),
            }),
            `length ${length}`,
          ).toEqual(plaintext);
        }
      }
    },
  );

  it('refuses bad key and IV sizes and unknown modes', () => {
    expect(
      refused({
        op: 'aes_decrypt',
        mode: 'ctr',
        key: b64(Buffer.alloc(16)),
        iv: b64(Buffer.alloc(12)),
        data: '',
      }),
    ).toMatch(/CTR IV/);
    expect(
      refused({
        op: 'aes_decrypt',
        mode: 'cfb',
        key: b64(Buffer.alloc(15)),
        iv: b64(Buffer.alloc(16)),
        data: '',
      }),
    ).toMatch(/16, 24 or 32 bytes/);
    expect(
      refused({
        op: 'aes_decrypt',
        mode: 'cfb',
        key: b64(Buffer.alloc(16)),
        iv: b64(Buffer.alloc(8)),
        data: '',
      }),
    ).toMatch(/IV/);
    expect(
      refused({ op: 'aes_decrypt', mode: 'gcm', key: b64(Buffer.alloc(16)), data: '' }),
    ).toMatch(/cfb, ctr or ecb/);
  });
});

describe('the JSON envelope', () => {
  it('turns a library error into the fallback message, never its own text', async () => {
    const reply = await respond('the crypto operation failed', () => {
      throw new Error('secret-bearing internal message');
    });
    expect(JSON.parse(reply)).toEqual({ ok: false, error: 'the crypto operation failed' });
    expect(JSON.parse(await respond('x', () => ({ result: 'AA==' })))).toEqual({
      ok: true,
      result: 'AA==',
    });
  });

  it('answers an unknown op with an error', () => {
    expect(refused({ op: 'rot13' })).toMatch(/unknown crypto op/);
  });
});
