import { describe, expect, it } from 'vitest';
import { open, randomKey, seal } from '../../../electron/core/crypto/aes-gcm';
import { checkKdfCost, deriveKey, KDF_CAP, KDF_FLOOR } from '../../../electron/core/crypto/argon2';
import {
  generateRecoveryPassphrase,
  normalizeRecoveryPassphrase,
} from '../../../electron/core/crypto/recovery-passphrase';

describe('AES-256-GCM', () => {
  const aad = Buffer.from('header');

  it('opens what it sealed, with a fresh nonce every time', () => {
    const key = randomKey();
    const a = seal(key, Buffer.from('hello'), aad);
    const b = seal(key, Buffer.from('hello'), aad);
    expect(a.nonce.equals(b.nonce)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
    expect(open(key, a, aad)?.toString()).toBe('hello');
  });

  it('refuses a wrong key, changed associated data, or a changed byte', () => {
    const key = randomKey();
    const sealed = seal(key, Buffer.from('hello'), aad);
    expect(open(randomKey(), sealed, aad)).toBeNull();
    expect(open(key, sealed, Buffer.from('headeR'))).toBeNull();
    const flipped = Buffer.from(sealed.ciphertext);
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(open(key, { nonce: sealed.nonce, ciphertext: flipped }, aad)).toBeNull();
    expect(
      open(key, { nonce: sealed.nonce, ciphertext: sealed.ciphertext.subarray(0, 10) }, aad),
    ).toBeNull();
  });
});

describe('Argon2id parameters', () => {
  it('accepts the floor and the cap and refuses anything outside them', () => {
    expect(checkKdfCost(KDF_FLOOR)).toBeNull();
    expect(checkKdfCost(KDF_CAP)).toBeNull();
    expect(checkKdfCost({ ...KDF_FLOOR, memoryKiB: KDF_FLOOR.memoryKiB - 1 })).toMatch(
      /memoryKiB .* below the floor/,
    );
    expect(checkKdfCost({ ...KDF_FLOOR, iterations: 1 })).toMatch(/iterations .* below/);
    expect(checkKdfCost({ ...KDF_FLOOR, memoryKiB: 4_194_304 })).toMatch(
      /memoryKiB .* above the cap/,
    );
    expect(checkKdfCost({ ...KDF_FLOOR, parallelism: 64 })).toMatch(/parallelism .* above the cap/);
  });

  it('derives the same key for the same input and another for another salt', async () => {
    const params = {
      algorithm: 'argon2id' as const,
      ...KDF_FLOOR,
      salt: Buffer.alloc(16, 1).toString('base64'),
    };
    const a = await deriveKey('passphrase', params);
    const b = await deriveKey('passphrase', params);
    const c = await deriveKey('passphrase', {
      ...params,
      salt: Buffer.alloc(16, 2).toString('base64'),
    });
    expect(a.length).toBe(32);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });

  it('refuses to derive with parameters outside the bounds', async () => {
    const params = {
      algorithm: 'argon2id' as const,
      ...KDF_FLOOR,
      memoryKiB: 8,
      salt: Buffer.alloc(16).toString('base64'),
    };
    await expect(deriveKey('x', params)).rejects.toThrow(/Refusing Argon2id parameters/);
  });
});

describe('recovery passphrase', () => {
  it('is six groups of five unambiguous characters, different every time', () => {
    const a = generateRecoveryPassphrase();
    expect(a).toMatch(/^([0-9A-HJKMNP-TV-Z]{5}-){5}[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(generateRecoveryPassphrase()).not.toBe(a);
  });

  it('forgives case, spacing and look-alike letters when typed back', () => {
    const phrase = '0O1IL-ABCDE';
    expect(normalizeRecoveryPassphrase(' 0o1il abcde ')).toBe(normalizeRecoveryPassphrase(phrase));
    expect(normalizeRecoveryPassphrase(phrase)).toBe('00111ABCDE');
  });
});
