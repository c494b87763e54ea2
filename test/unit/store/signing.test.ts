import { describe, expect, it } from 'vitest';
import {
  formatSignature,
  generateSigningKey,
  keyIdOf,
  parseSignature,
  signArchive,
  SignatureError,
  verifyArchive,
} from '../../../electron/core/store/archive/signing';
import {
  keyIdOf as catalogKeyIdOf,
  decodePublicKey,
  publicKeyObject,
} from '../../../electron/core/store/catalog/catalog-signing';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';

const archive = Buffer.from('pretend this is a plugin archive');

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof SignatureError) return error.code;
    throw error;
  }
  return undefined;
}

describe('archive signing (Ed25519 through node:crypto)', () => {
  it('generates a PEM private key and a raw base64 public key, named by 16 hex of sha256', () => {
    const key = generateSigningKey();
    expect(key.privateKey).toContain('BEGIN PRIVATE KEY');
    expect(key.publicKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(decodePublicKey(key.publicKey)).toHaveLength(32);
    expect(key.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(keyIdOf(key.publicKey)).toBe(key.keyId);
    expect(keyIdOf(key.privateKey)).toBe(key.keyId);
    expect(generateSigningKey().keyId).not.toBe(key.keyId);
  });

  it('names a key the same whether given raw, as public PEM or as private PEM', () => {
    const key = generateSigningKey();
    const publicPem = publicKeyObject(decodePublicKey(key.publicKey))
      .export({ format: 'pem', type: 'spki' })
      .toString();
    expect(keyIdOf(publicPem)).toBe(key.keyId);
    expect(keyIdOf(createPublicKey(key.privateKey))).toBe(key.keyId);
  });

  it('signs and verifies with the trusted key the record names', () => {
    const key = generateSigningKey();
    const other = generateSigningKey();
    const signature = signArchive(archive, key.privateKey);
    expect(signature).toMatchObject({ format: 1, algorithm: 'ed25519', keyId: key.keyId });
    expect(verifyArchive(archive, signature, [other.publicKey, key.publicKey])).toEqual({
      keyId: key.keyId,
    });
  });

  it('round-trips the .sig file', () => {
    const key = generateSigningKey();
    const signature = signArchive(archive, key.privateKey);
    expect(parseSignature(formatSignature(signature))).toEqual(signature);
  });

  it('refuses a signature by a key that is not trusted', () => {
    const key = generateSigningKey();
    const other = generateSigningKey();
    const signature = signArchive(archive, key.privateKey);
    expect(code(() => verifyArchive(archive, signature, [other.publicKey]))).toBe('unknown_key');
    expect(code(() => verifyArchive(archive, signature, []))).toBe('unknown_key');
  });

  it('refuses a signature made by another key under a trusted key id', () => {
    const key = generateSigningKey();
    const attacker = generateSigningKey();
    const forged = { ...signArchive(archive, attacker.privateKey), keyId: key.keyId };
    expect(code(() => verifyArchive(archive, forged, [key.publicKey]))).toBe('bad_signature');
  });

  it('refuses an archive with any byte changed', () => {
    const key = generateSigningKey();
    const signature = signArchive(archive, key.privateKey);
    for (const index of [0, 10, archive.length - 1]) {
      const tampered = Buffer.from(archive);
      tampered[index] = (tampered[index] ?? 0) ^ 1;
      expect(code(() => verifyArchive(tampered, signature, [key.publicKey]))).toBe('bad_signature');
    }
  });

  it('refuses a tampered signature and malformed records', () => {
    const key = generateSigningKey();
    const signature = signArchive(archive, key.privateKey);
    const bytes = Buffer.from(signature.signature, 'base64');
    bytes[5] = (bytes[5] ?? 0) ^ 0x80;
    const tampered = { ...signature, signature: bytes.toString('base64') };
    expect(code(() => verifyArchive(archive, tampered, [key.publicKey]))).toBe('bad_signature');
    expect(code(() => parseSignature('not json'))).toBe('bad_signature_record');
    expect(code(() => parseSignature(JSON.stringify({ ...signature, algorithm: 'rsa' })))).toBe(
      'bad_signature_record',
    );
    expect(code(() => parseSignature(JSON.stringify({ ...signature, keyId: 'ABC' })))).toBe(
      'bad_signature_record',
    );
  });

  it('refuses keys that are not Ed25519 private keys', () => {
    expect(code(() => signArchive(archive, 'not a key'))).toBe('bad_key');
    expect(code(() => signArchive(archive, generateSigningKey().publicKey))).toBe('bad_key');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(
      code(() =>
        signArchive(archive, rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()),
      ),
    ).toBe('bad_key');
    expect(code(() => keyIdOf(rsa.publicKey))).toBe('bad_key');
  });

  it('takes trusted keys only as raw base64, refusing PEM or junk in the list', () => {
    const key = generateSigningKey();
    const signature = signArchive(archive, key.privateKey);
    const publicPem = publicKeyObject(decodePublicKey(key.publicKey))
      .export({ format: 'pem', type: 'spki' })
      .toString();
    expect(code(() => verifyArchive(archive, signature, [publicPem]))).toBe('bad_key');
    expect(code(() => verifyArchive(archive, signature, ['AAAA']))).toBe('bad_key');
    expect(code(() => verifyArchive(archive, signature, [`${key.publicKey}!`]))).toBe('bad_key');
  });
});

describe('key ids across the store', () => {
  it('names a key the same in a .sig file and in a catalog, from one public key', () => {
    const pair = generateSigningKey();
    expect(catalogKeyIdOf(decodePublicKey(pair.publicKey))).toBe(pair.keyId);
    expect(keyIdOf(pair.privateKey)).toBe(pair.keyId);
  });
});
