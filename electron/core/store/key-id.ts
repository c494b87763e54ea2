import { createHash } from 'node:crypto';

// How a store signing key is named, for catalogs and plugin archives alike:
// the first 16 hex digits of sha256 of the raw 32-byte Ed25519 public key.
// Short enough to show a person, long enough to tell keys apart, and the
// same key has the same id whichever file format carries it.

export function ed25519KeyId(rawPublicKey: Uint8Array): string {
  return createHash('sha256').update(rawPublicKey).digest('hex').slice(0, 16);
}
