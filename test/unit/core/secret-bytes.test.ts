import { describe, expect, it } from 'vitest';
import { open, randomKey, seal } from '../../../electron/core/crypto/aes-gcm';
import { deriveKey, KDF_FLOOR } from '../../../electron/core/crypto/argon2';
import { SecretBytes } from '../../../electron/core/crypto/secret-bytes';

// Secret bytes live in Buffers that own their memory (never a slice of Node's
// shared pool) and are overwritten with zeros once used.

const ownsItsMemory = (bytes: Buffer) =>
  bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length;
const isZero = (bytes: Buffer) => bytes.every((b) => b === 0);

/** Every Buffer a SecretBytes made, through its observer. */
function observed() {
  const seen: Buffer[] = [];
  return { seen, observe: (bytes: Buffer) => seen.push(bytes) };
}

describe('SecretBytes', () => {
  it('holds strings in memory of its own, exact in length, and zeroes it on wipe', () => {
    const { seen, observe } = observed();
    const utf8 = SecretBytes.fromString('pässword', 'utf8', observe);
    // base64 whose byteLength estimate is larger than what it decodes to.
    const b64 = SecretBytes.fromString('AAECAw=', 'base64', observe);
    const joined = SecretBytes.joinUtf8(['alice', ':', 'pä55'], observe);
    expect(utf8.use((b) => b.toString('utf8'))).toBe('pässword');
    expect(b64.use((b) => [...b])).toEqual([0, 1, 2, 3]);
    expect(joined.use((b) => b.toString('utf8'))).toBe('alice:pä55');
    for (const bytes of seen) expect(ownsItsMemory(bytes)).toBe(true);
    utf8.wipe();
    b64.wipe();
    joined.wipe();
    expect(seen.every(isZero)).toBe(true);
    expect(utf8.wiped).toBe(true);
    expect(utf8.length).toBe(0);
  });

  it('take copies into memory of its own and zeroes the source', () => {
    const { seen, observe } = observed();
    const pooled = Buffer.from('a short pooled secret');
    expect(ownsItsMemory(pooled)).toBe(false);
    const taken = SecretBytes.take(pooled, observe);
    expect(isZero(pooled)).toBe(true);
    expect(taken.use((b) => b.toString())).toBe('a short pooled secret');
    expect(ownsItsMemory(seen[0] as Buffer)).toBe(true);
  });

  it('refuses use after wipe with an internal error that names no secret', () => {
    const secret = SecretBytes.random(32);
    secret.wipe();
    secret.wipe();
    expect(() => secret.use(() => 0)).toThrow(
      expect.objectContaining({ code: 'internal', name: 'CustodianError' }),
    );
  });

  it('useOnce wipes after the call, after its promise settles, and when it throws', async () => {
    const { seen, observe } = observed();
    const sync = SecretBytes.random(16, observe);
    expect(sync.useOnce((b) => b.length)).toBe(16);
    expect(sync.wiped).toBe(true);

    const later = SecretBytes.random(16, observe);
    let release: () => void = () => {};
    const pending = later.useOnce((b) => new Promise<number>((r) => (release = () => r(b.length))));
    expect(later.wiped).toBe(false);
    release();
    expect(await pending).toBe(16);
    expect(later.wiped).toBe(true);

    const failing = SecretBytes.random(16, observe);
    expect(() =>
      failing.useOnce(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    const rejecting = SecretBytes.random(16, observe);
    await expect(rejecting.useOnce(() => Promise.reject(new Error('late boom')))).rejects.toThrow(
      'late boom',
    );
    expect(failing.wiped && rejecting.wiped).toBe(true);
    expect(seen.every(isZero)).toBe(true);
  });
});

describe('crypto outputs the caller can wipe', () => {
  it('AES-GCM open returns plaintext in memory of its own, small or large', () => {
    const key = randomKey();
    const aad = Buffer.from('header');
    for (const size of [32, 100, 10_000]) {
      const plain = Buffer.alloc(size, 7);
      const opened = open(key, seal(key, plain, aad), aad);
      expect(opened?.equals(plain)).toBe(true);
      expect(ownsItsMemory(opened as Buffer)).toBe(true);
    }
  });

  it('Argon2id returns its key in memory of its own', async () => {
    const { seen, observe } = observed();
    const key = await deriveKey(
      'passphrase',
      { algorithm: 'argon2id', ...KDF_FLOOR, salt: Buffer.alloc(16, 1).toString('base64') },
      observe,
    );
    expect(key.length).toBe(32);
    expect(ownsItsMemory(key)).toBe(true);
    // The passphrase's bytes were zeroed once the KDF had them; the key is the caller's to wipe.
    const passphraseBytes = seen.find((b) => b.length === 'passphrase'.length);
    expect(passphraseBytes && isZero(passphraseBytes)).toBe(true);
    expect(isZero(key)).toBe(false);
  });
});
