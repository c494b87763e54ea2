import { createHash } from 'node:crypto';
import type { HashAlgorithm } from '../../../shared/plugin-abi';

// OpenPGP string-to-key (RFC 4880 3.7.1), for the s2k crypto op. The iterated
// form hashes `count` octets of salt || passphrase repeated (65 MB at the
// largest count GnuPG writes), so the repetition is streamed into the hash in
// chunks of about 64 KiB, never built whole. When the key is longer than one
// digest, further hash contexts are used, the i-th preloaded with i zero
// octets, and their outputs concatenated.

/** The largest count the one-octet coded form can express: (16 + 15) << (15 + 6). */
export const S2K_MAX_COUNT = 65_011_712;
/** Longer than any cipher key OpenPGP uses (AES-256 takes 32). */
export const S2K_MAX_KEY_LENGTH = 64;
export const S2K_SALT_LENGTH = 8;
const CHUNK = 65_536;

export type S2kType = 'simple' | 'salted' | 'iterated';

export interface S2kSpec {
  type: S2kType;
  hash: HashAlgorithm;
  /** 8 octets for salted and iterated; empty for simple. */
  salt: Uint8Array;
  /** The decoded octet count (iterated only). */
  count: number;
  passphrase: Uint8Array;
  keyLength: number;
}

/** The derived key. Callers check the bounds; this only asserts them. */
export function stringToKey(spec: S2kSpec): Buffer {
  const unit = Buffer.concat([spec.salt, spec.passphrase]);
  // Fewer octets than one salt || passphrase still hash the whole of it once.
  const total = spec.type === 'iterated' ? Math.max(spec.count, unit.length) : unit.length;
  if (total > S2K_MAX_COUNT + unit.length) throw new RangeError('count is too large');
  if (spec.keyLength < 1 || spec.keyLength > S2K_MAX_KEY_LENGTH)
    throw new RangeError('key length out of range');

  // A chunk of whole repetitions, so every update continues the pattern where
  // the previous one stopped.
  const repeats = unit.length === 0 ? 0 : Math.max(1, Math.floor(CHUNK / unit.length));
  const chunk = Buffer.alloc(repeats * unit.length);
  for (let offset = 0; offset < chunk.length; offset += unit.length) unit.copy(chunk, offset);

  const parts: Buffer[] = [];
  let produced = 0;
  for (let preload = 0; produced < spec.keyLength; preload++) {
    const hash = createHash(spec.hash);
    if (preload > 0) hash.update(Buffer.alloc(preload));
    let remaining = total;
    while (remaining >= chunk.length && chunk.length > 0) {
      hash.update(chunk);
      remaining -= chunk.length;
    }
    if (remaining > 0) hash.update(chunk.subarray(0, remaining));
    const digest = hash.digest();
    parts.push(digest);
    produced += digest.length;
  }
  const all = Buffer.concat(parts);
  const key = Buffer.from(all.subarray(0, spec.keyLength));
  for (const secret of [unit, chunk, all, ...parts]) secret.fill(0);
  return key;
}
