// Hash algorithms: OpenPGP IDs, their names, and digests computed by the host
// (node:crypto, one `digest` call): the fingerprint of every key, the SHA-1
// check of a decrypted secret key, and the digest of every signature. Callers
// build the whole input in one buffer and hash it once.

import { Crypto } from '../../sdk/assembly';
import { fail } from './errors';

// OpenPGP hash algorithm IDs (RFC 4880 9.4).
export const HASH_SHA1: i32 = 2;
export const HASH_SHA256: i32 = 8;
export const HASH_SHA384: i32 = 9;
export const HASH_SHA512: i32 = 10;
export const HASH_SHA224: i32 = 11;

/** The host's name for a hash, or "" when we have none for it. */
export function hashName(alg: i32): string {
  if (alg == HASH_SHA1) return 'sha1';
  if (alg == HASH_SHA256) return 'sha256';
  if (alg == HASH_SHA384) return 'sha384';
  if (alg == HASH_SHA512) return 'sha512';
  if (alg == HASH_SHA224) return 'sha224';
  return '';
}

/** As the cleartext "Hash:" header writes it. */
export function hashArmorName(alg: i32): string {
  if (alg == HASH_SHA1) return 'SHA1';
  if (alg == HASH_SHA256) return 'SHA256';
  if (alg == HASH_SHA384) return 'SHA384';
  if (alg == HASH_SHA512) return 'SHA512';
  if (alg == HASH_SHA224) return 'SHA224';
  return '';
}

/** A readable name for any ID, for messages. */
export function hashDisplayName(alg: i32): string {
  if (alg == 1) return 'MD5';
  if (alg == 3) return 'RIPEMD-160';
  if (alg == 12) return 'SHA3-256';
  if (alg == 14) return 'SHA3-512';
  const name = hashArmorName(alg);
  return name.length > 0 ? name.replace('SHA', 'SHA-') : 'hash algorithm ' + alg.toString();
}

/** The digest's length in bytes, or 0 for a hash we have no name for. */
function digestLength(alg: i32): i32 {
  if (alg == HASH_SHA1) return 20;
  if (alg == HASH_SHA256) return 32;
  if (alg == HASH_SHA384) return 48;
  if (alg == HASH_SHA512) return 64;
  if (alg == HASH_SHA224) return 28;
  return 0;
}

/**
 * The digest of `data` with `alg`, computed by the host; null with the reason
 * recorded (see errors.ts) when the hash is unsupported or the host fails.
 */
export function digest(alg: i32, data: Uint8Array): Uint8Array | null {
  const name = hashName(alg);
  if (name.length == 0) {
    fail(hashDisplayName(alg) + ' is not supported by this plugin');
    return null;
  }
  const result = Crypto.digest(name, data);
  if (!result.ok || result.bytes.length != digestLength(alg)) {
    fail('hashing with ' + hashDisplayName(alg) + ' failed: ' + result.error);
    return null;
  }
  return result.bytes;
}
