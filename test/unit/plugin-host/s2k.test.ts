import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CryptoRequest } from '../../../shared/plugin-abi';
import { aesCfbDecrypt } from '../../../electron/plugin-host/host-functions/aes-cfb';
import { runCrypto } from '../../../electron/plugin-host/host-functions/crypto';
import { HostFunctionError } from '../../../electron/plugin-host/host-functions/json';
import { S2K_MAX_COUNT } from '../../../electron/plugin-host/host-functions/s2k';

// The s2k crypto op (OpenPGP string-to-key, RFC 4880 3.7.1) against a
// straightforward reimplementation that builds the whole hashed input in
// memory, and against real secret keys: one exported by GnuPG 2.2 (AES-128,
// iterated and salted SHA-1, count 65011712) and one written by OpenPGP.js
// (AES-256, iterated and salted SHA-256), each of which must decrypt to
// key material whose SHA-1 checksum holds and whose Ed25519 seed gives the
// public key in the packet.

const b64 = (bytes: Uint8Array | string) =>
  (typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes)).toString('base64');
const run = (request: Record<string, unknown>) => runCrypto(request as unknown as CryptoRequest);
const s2k = (request: Record<string, unknown>) =>
  Buffer.from(String(run({ op: 's2k', ...request }).result), 'base64');

function refused(request: Record<string, unknown>): string {
  try {
    run({ op: 's2k', ...request });
  } catch (error) {
    if (error instanceof HostFunctionError) return error.message;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** RFC 4880 3.7.1 as written: every hash context gets the whole input at once. */
function naive(
  hash: string,
  salt: Buffer,
  passphrase: Buffer,
  count: number | undefined,
  keyLength: number,
): Buffer {
  const unit = Buffer.concat([salt, passphrase]);
  let input = unit;
  if (count !== undefined && count > unit.length) {
    input = Buffer.alloc(count);
    for (let i = 0; i < count; i++) input[i] = unit[i % unit.length] ?? 0;
  }
  const out: Buffer[] = [];
  for (let preload = 0; Buffer.concat(out).length < keyLength; preload++)
    out.push(createHash(hash).update(Buffer.alloc(preload)).update(input).digest());
  return Buffer.concat(out).subarray(0, keyLength);
}

const decodeCount = (coded: number) => (16 + (coded & 15)) << ((coded >> 4) + 6);

describe('s2k against a straightforward implementation', () => {
  const salt = Buffer.from('a1b2c3d4e5f60718', 'hex');
  const passphrase = Buffer.from('correct horse battery staple ✓', 'utf8');

  it.each([
    ['sha1', 16],
    ['sha1', 24], // two contexts (20 + 4)
    ['sha1', 32],
    ['sha224', 32],
    ['sha256', 16],
    ['sha256', 32],
    ['sha256', 64], // two contexts
    ['sha384', 64],
    ['sha512', 64],
    ['sha1', 64], // four contexts
  ])('simple, salted and iterated, %s, %i bytes', (hash, keyLength) => {
    const common = { hash, passphrase: b64(passphrase), key_length: keyLength };
    expect(s2k({ ...common, type: 'simple' })).toEqual(
      naive(hash, Buffer.alloc(0), passphrase, undefined, keyLength),
    );
    expect(s2k({ ...common, type: 'salted', salt: b64(salt) })).toEqual(
      naive(hash, salt, passphrase, undefined, keyLength),
    );
    for (const coded of [0, 96, 0x6b, 0xc0]) {
      const count = decodeCount(coded);
      expect(
        s2k({ ...common, type: 'iterated', salt: b64(salt), count }),
        `count ${count}`,
      ).toEqual(naive(hash, salt, passphrase, count, keyLength));
    }
  });

  it('streams counts that are not a multiple of the chunk or of salt || passphrase', () => {
    for (const count of [1, 37, 38, 39, 65_535, 65_536, 65_537, 200_003]) {
      const request = { type: 'iterated', hash: 'sha256', salt: b64(salt), count };
      expect(
        s2k({ ...request, passphrase: b64(passphrase), key_length: 32 }),
        `count ${count}`,
      ).toEqual(naive('sha256', salt, passphrase, count, 32));
    }
  });

  it('hashes salt || passphrase whole when the count is smaller, and an empty passphrase', () => {
    expect(
      s2k({
        type: 'iterated',
        hash: 'sha1',
        salt: b64(salt),
        count: 3,
        passphrase: b64(passphrase),
        key_length: 16,
      }),
    ).toEqual(naive('sha1', salt, passphrase, undefined, 16));
    expect(s2k({ type: 'simple', hash: 'sha1', passphrase: '', key_length: 20 })).toEqual(
      createHash('sha1').digest(),
    );
    expect(
      s2k({
        type: 'iterated',
        hash: 'sha1',
        salt: b64(salt),
        count: 1024,
        passphrase: '',
        key_length: 16,
      }),
    ).toEqual(naive('sha1', salt, Buffer.alloc(0), 1024, 16));
  });

  it('derives a key with the largest count, 65011712 octets, as the naive hash does', () => {
    const key = s2k({
      type: 'iterated',
      hash: 'sha1',
      salt: b64(salt),
      count: S2K_MAX_COUNT,
      passphrase: b64('p'),
      key_length: 16,
    });
    expect(key).toEqual(naive('sha1', salt, Buffer.from('p'), S2K_MAX_COUNT, 16));
  });

  it('refuses counts, key lengths, salts and types out of bounds, naming the field', () => {
    const base = { hash: 'sha256', passphrase: b64('x'), key_length: 32 };
    const iterated = { ...base, type: 'iterated', salt: b64(salt) };
    expect(refused({ ...iterated, count: S2K_MAX_COUNT + 1 })).toMatch(
      /"count" must be an integer from 1 to 65011712/,
    );
    expect(refused({ ...iterated, count: 0 })).toMatch(/"count"/);
    expect(refused({ ...iterated, count: 1.5 })).toMatch(/"count"/);
    expect(refused({ ...iterated })).toMatch(/"count"/);
    expect(refused({ ...iterated, count: 1024, key_length: 65 })).toMatch(
      /"key_length" must be an integer from 1 to 64/,
    );
    expect(refused({ ...iterated, count: 1024, key_length: 0 })).toMatch(/"key_length"/);
    expect(refused({ ...iterated, count: 1024, salt: b64(Buffer.alloc(7)) })).toBe(
      '"salt" must be 8 bytes, not 7',
    );
    expect(refused({ ...base, type: 'salted' })).toMatch(/"salt"/);
    expect(refused({ ...base, type: 'simple', salt: b64(salt) })).toMatch(/no "salt"/);
    expect(refused({ ...base, type: 'salted', salt: b64(salt), count: 1024 })).toMatch(
      /iterated type only/,
    );
    expect(refused({ ...base, type: 'argon2' })).toMatch(/simple, salted or iterated/);
    expect(refused({ ...iterated, count: 1024, hash: 'md5' })).toMatch(/sha1, sha224/);
    expect(refused({ ...iterated, count: 1024, passphrase: 'not base64!' })).toBe(
      '"passphrase" is not valid base64',
    );
  });
});

// ── real keys ────────────────────────────────────────────────────────────────

/** `gpg --export-secret-keys --armor` (GnuPG 2.2.40), passphrase "secret". */
const GNUPG_KEY = `-----BEGIN PGP PRIVATE KEY BLOCK-----

lIYEawJ8/RYJKwYBBAHaRw8BAQdAvDBrHxr78+aPEUjMMm6xykXHIW2L62zMtmMr
yCZvsnj+BwMCxMp/V44cWvL/cS7s6pW7k0erGD1I2R7O+xCr24NTEgjC15IOijAw
E61rR++puoH2WQX+Fn0zBzd2scP2nm15h7F1B43KeNNzYL37hZ8bpbQUVGVzdCA8
dEBleGFtcGxlLm9yZz6IkAQTFggAOBYhBJ5JU4yTiQJYj3YXJ1X977bh++rCBQJr
Anz9AhsDBQsJCAcCBhUKCQgLAgQWAgMBAh4BAheAAAoJEFX977bh++rCY3IBAIpP
W8jsWREmDt3BEivJkdfYKyROsp4cw5ojQgtllwcYAP47E+yunkCyQ40Vbd4BnD5e
a8I5hiXvg4+yyFhVAzhaBA==
=jDD4
-----END PGP PRIVATE KEY BLOCK-----`;

/** OpenPGP.js 6.3 generateKey (Ed25519 legacy), passphrase "correct horse". */
const OPENPGPJS_KEY = `-----BEGIN PGP PRIVATE KEY BLOCK-----

xYYEawJ9JhYJKwYBBAHaRw8BAQdA8TAwCT++rRtjF3xW4y+baLkI5NSEhaYt
9HL3dxWNXZX+CQMIVlJnecq6kh1gEUcrGJxfQKECigkvk0epb8iTMVKj/q24
q3vWyeRQweZTHUZdkCekf8z0mdqVGrQmd63grxddMUN9yUYiszrGovlwgep2
CM0iT3BlblBHUC5qcyBBRVMtMjU2IDxvQGV4YW1wbGUub3JnPsLAEwQTFgoA
hQWCawJ9JgMLCQcJEHq9xSKMeNNcRRQAAAAAABwAIHNhbHRAbm90YXRpb25z
Lm9wZW5wZ3Bqcy5vcmf48A6VLeAYGvt5SZ6snoAkRaWZ9dH1FL0uhyM7LzRx
wwUVCggODAQWAAIBAhkBApsDAh4BFiEEIrGlf5DVqmLvs7j+er3FIox401wA
APwVAP9V5KBdSUuJ1CBVvn1ADt4+KFvj4dN1WgVA3rt3QABIJwD9EgOnz0dP
s0WWreCijoBO2o/P2ILZotv9Jx4NTtxeaAbHiwRrAn0mEgorBgEEAZdVAQUB
AQdAM1VaGoCy5wktgOEl6mmSUlAlFSfbzBFNG8optnlvTTsDAQgH/gkDCM/e
qlfDnrjnYG3h6EQuA2JUyG6l9wxr6fYya7I+CralZZgVQ1KCS9wYjLvGmmII
FAMluVta3i+6ldnXiYs3O6RNhuCw3i9huNejfYpgKszCvgQYFgoAcAWCawJ9
JgkQer3FIox401xFFAAAAAAAHAAgc2FsdEBub3RhdGlvbnMub3BlbnBncGpz
Lm9yZ2bTFiDdZtywv+KOWvby8hkgih8H9cAqp3nlpOggKINvApsMFiEEIrGl
f5DVqmLvs7j+er3FIox401wAAJ3vAPwJhH6JUW19ShVPPfNsNPPT6oqSJbZ2
308wZFU8T+w18QD+L9rt56AIBcQO5voaclPcTovq2w59Yj4MiMdnV2iyJwE=
=myeE
-----END PGP PRIVATE KEY BLOCK-----`;

/** The first packet's body (the primary secret key); just enough of RFC 4880 4.2. */
function firstPacketBody(armored: string): Buffer {
  const body = armored
    .split('\n')
    .filter((line) => line && !line.startsWith('-----') && !line.startsWith('='))
    .join('');
  const data = Buffer.from(body, 'base64');
  // Both keys' first packets use a one-octet length: old format with length
  // type 0 (GnuPG, 0x94) or new format below 192 (OpenPGP.js, 0xc5).
  expect([0x94, 0xc5]).toContain(data[0]);
  return data.subarray(2, 2 + (data[1] ?? 0));
}

const AES_KEY_LENGTH: Record<number, number> = { 7: 16, 8: 24, 9: 32 };
const HASH_NAMES: Record<number, string> = { 2: 'sha1', 8: 'sha256', 10: 'sha512' };
const ED25519_PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');

describe('s2k unlocks real exported secret keys', () => {
  it.each([
    ['GnuPG 2.2 (AES-128, SHA-1, count 65011712)', GNUPG_KEY, 'secret', 7, 'sha1', 65_011_712],
    [
      'OpenPGP.js (AES-256, SHA-256, count 65536)',
      OPENPGPJS_KEY,
      'correct horse',
      9,
      'sha256',
      65_536,
    ],
  ])('%s', (_name, armored, passphrase, cipher, hashName, count) => {
    const packet = firstPacketBody(armored);
    // Public part: version 4, created (4), algorithm 22 (EdDSA), OID, MPI 0x40 || point.
    expect(packet[0]).toBe(4);
    expect(packet[5]).toBe(22);
    let at = 6;
    at += 1 + (packet[at] ?? 0); // OID
    const bits = packet.readUInt16BE(at);
    const point = packet.subarray(at + 2, at + 2 + Math.ceil(bits / 8));
    at += 2 + Math.ceil(bits / 8);
    expect(point[0]).toBe(0x40);
    // Protection: usage 254 (SHA-1 check), cipher, S2K 3 (iterated and salted), hash, salt, count, IV.
    expect(packet[at]).toBe(254);
    expect(packet[at + 1]).toBe(cipher);
    expect(packet[at + 2]).toBe(3);
    const hash = HASH_NAMES[packet[at + 3] ?? 0];
    expect(hash).toBe(hashName);
    const salt = packet.subarray(at + 4, at + 12);
    expect(decodeCount(packet[at + 12] ?? 0)).toBe(count);
    const iv = packet.subarray(at + 13, at + 29);
    const encrypted = packet.subarray(at + 29);

    const key = s2k({
      type: 'iterated',
      hash,
      salt: b64(salt),
      count,
      passphrase: b64(passphrase),
      key_length: AES_KEY_LENGTH[cipher],
    });
    const plain = Buffer.from(aesCfbDecrypt(key, iv, encrypted));
    const material = plain.subarray(0, plain.length - 20);
    expect(createHash('sha1').update(material).digest()).toEqual(plain.subarray(-20));
    // The secret MPI is the Ed25519 seed; it must give the packet's public key.
    const seedBits = material.readUInt16BE(0);
    const seed = material.subarray(2, 2 + Math.ceil(seedBits / 8));
    const padded = Buffer.concat([Buffer.alloc(32 - seed.length), seed]);
    const privateKey = createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8, padded]),
      format: 'der',
      type: 'pkcs8',
    });
    const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
    expect(Buffer.from(jwk.x ?? '', 'base64url')).toEqual(point.subarray(1));

    // A wrong passphrase gives a key whose decryption fails the checksum.
    const wrong = s2k({
      type: 'iterated',
      hash,
      salt: b64(salt),
      count,
      passphrase: b64(`${passphrase}!`),
      key_length: AES_KEY_LENGTH[cipher],
    });
    const garbage = Buffer.from(aesCfbDecrypt(wrong, iv, encrypted));
    expect(createHash('sha1').update(garbage.subarray(0, -20)).digest()).not.toEqual(
      garbage.subarray(-20),
    );
  });
});
