import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// AES-256-GCM with a fresh random 96-bit nonce for every seal. The tag is
// appended to the ciphertext, as WebCrypto does.

export const KEY_BYTES = 32;
export const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealed {
  nonce: Buffer;
  ciphertext: Buffer;
}

export function seal(
  key: Buffer,
  plaintext: Buffer,
  aad: Buffer,
  nonce: Buffer = randomNonce(),
): Sealed {
  const ciphertext = Buffer.alloc(sealedLength(plaintext.length));
  sealInto(key, plaintext, aad, nonce, ciphertext);
  return { nonce, ciphertext };
}

/** How many bytes sealing `plaintextBytes` gives: the ciphertext and its tag. */
export function sealedLength(plaintextBytes: number): number {
  return plaintextBytes + TAG_BYTES;
}

/** Bytes handed to the cipher at a time: its output is that small, never a second copy of the whole. */
const SEAL_CHUNK = 64 * 1024;

/**
 * Seals `plaintext` into `out` (exactly sealedLength(plaintext.length) bytes):
 * the ciphertext, then the tag. The cipher is fed in chunks and each chunk's
 * output copied into place, so sealing megabytes allocates no buffer of that
 * size: the vault's save writes its file into one buffer it reuses.
 */
export function sealInto(
  key: Buffer,
  plaintext: Buffer,
  aad: Buffer,
  nonce: Buffer,
  out: Buffer,
): void {
  if (key.length !== KEY_BYTES) throw new Error('AES-256-GCM needs a 32-byte key');
  if (nonce.length !== NONCE_BYTES) throw new Error('AES-256-GCM needs a 12-byte nonce');
  if (out.length !== sealedLength(plaintext.length))
    throw new Error('AES-256-GCM: the output does not fit the sealed length');
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  let offset = 0;
  for (let start = 0; start < plaintext.length; start += SEAL_CHUNK)
    offset += cipher.update(plaintext.subarray(start, start + SEAL_CHUNK)).copy(out, offset);
  offset += cipher.final().copy(out, offset);
  cipher.getAuthTag().copy(out, offset);
}

/**
 * Returns the plaintext, or null when the key, nonce, data or AAD do not
 * authenticate. The plaintext is in memory of its own (never a slice of Node's
 * pool, as Buffer.concat would give), so the caller can wipe it; the
 * decipher's own output is zeroed here.
 */
export function open(key: Buffer, sealed: Sealed, aad: Buffer): Buffer | null {
  if (key.length !== KEY_BYTES || sealed.nonce.length !== NONCE_BYTES) return null;
  if (sealed.ciphertext.length < TAG_BYTES) return null;
  const body = sealed.ciphertext.subarray(0, sealed.ciphertext.length - TAG_BYTES);
  const tag = sealed.ciphertext.subarray(sealed.ciphertext.length - TAG_BYTES);
  const parts: Buffer[] = [];
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.nonce, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    parts.push(decipher.update(body));
    parts.push(decipher.final());
    const plaintext = Buffer.allocUnsafeSlow(parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    for (const part of parts) offset += part.copy(plaintext, offset);
    return plaintext;
  } catch {
    return null;
  } finally {
    // Unauthenticated plaintext too, when the tag did not match.
    for (const part of parts) part.fill(0);
  }
}

/** A nonce must never repeat under one key; 96 random bits make that safe for far more saves than a vault sees. */
export function randomNonce(): Buffer {
  return randomBytes(NONCE_BYTES);
}

export function randomKey(): Buffer {
  return randomBytes(KEY_BYTES);
}
