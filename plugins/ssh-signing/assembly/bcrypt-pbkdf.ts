// bcrypt_pbkdf, the key derivation of OpenSSH's protected keys (OpenBSD's
// bcrypt_pbkdf.c): PBKDF2's shape with bcrypt_hash in place of HMAC, and the
// output octets spread across the blocks instead of concatenated. The SHA-512
// steps run in the host; the Blowfish work (nearly all of the cost) here.
// It runs once, when the person saves the key, never on an agent's call.

import { Crypto, Hash } from '../../sdk/assembly';
import { Blowfish } from './blowfish';
import { fail } from './errors';
import { concat, wipe } from './wire';

const HASH_SIZE: i32 = 32;
/** "OxychromaticBlowfishSwatDynamite", as eight big-endian words. */
const MAGIC: StaticArray<u32> = [
  0x4f787963, 0x68726f6d, 0x61746963, 0x426c6f77, 0x66697368, 0x53776174, 0x44796e61, 0x6d697465,
];

function sha512(data: Uint8Array): Uint8Array | null {
  const result = Crypto.digest(Hash.SHA512, data);
  if (!result.ok) {
    fail('the host could not hash for bcrypt_pbkdf: ' + result.error);
    return null;
  }
  return result.bytes;
}

/** bcrypt_hash of OpenBSD: 32 octets from the hashed passphrase and salt. */
function bcryptHash(sha2pass: Uint8Array, sha2salt: Uint8Array): Uint8Array {
  const state = new Blowfish();
  state.expand(sha2salt, sha2pass);
  for (let i = 0; i < 64; i++) {
    state.expand0(sha2salt);
    state.expand0(sha2pass);
  }
  const words = new StaticArray<u32>(8);
  for (let i = 0; i < 8; i++) words[i] = MAGIC[i];
  for (let round = 0; round < 64; round++) {
    for (let i = 0; i < 8; i += 2) {
      state.left = unchecked(words[i]);
      state.right = unchecked(words[i + 1]);
      state.encipher();
      unchecked((words[i] = state.left));
      unchecked((words[i + 1] = state.right));
    }
  }
  // Each word goes out little-endian, as bcrypt_pbkdf.c writes it.
  const out = new Uint8Array(HASH_SIZE);
  for (let i = 0; i < 8; i++) {
    const word = words[i];
    out[4 * i] = <u8>word;
    out[4 * i + 1] = <u8>(word >>> 8);
    out[4 * i + 2] = <u8>(word >>> 16);
    out[4 * i + 3] = <u8>(word >>> 24);
  }
  memory.fill(changetype<usize>(state.state), 0, (<usize>state.state.length) << 2);
  return out;
}

/** `keyLength` octets (at most 1024) derived from the passphrase; null on a host failure. */
export function bcryptPbkdf(
  passphrase: Uint8Array,
  salt: Uint8Array,
  rounds: i32,
  keyLength: i32,
): Uint8Array | null {
  const key = new Uint8Array(keyLength);
  const stride = (keyLength + HASH_SIZE - 1) / HASH_SIZE;
  let amount = (keyLength + stride - 1) / stride;
  const sha2pass = sha512(passphrase);
  if (sha2pass == null) return null;
  let left = keyLength;
  for (let count = 1; left > 0; count++) {
    const countBytes = new Uint8Array(4);
    countBytes[0] = <u8>(count >>> 24);
    countBytes[1] = <u8>(count >>> 16);
    countBytes[2] = <u8>(count >>> 8);
    countBytes[3] = <u8>count;
    let sha2salt = sha512(concat(salt, countBytes));
    if (sha2salt == null) return null;
    let block = bcryptHash(sha2pass, sha2salt);
    const out = block.slice();
    for (let i = 1; i < rounds; i++) {
      sha2salt = sha512(block);
      if (sha2salt == null) return null;
      wipe(block);
      block = bcryptHash(sha2pass, sha2salt);
      for (let j = 0; j < HASH_SIZE; j++) out[j] ^= block[j];
    }
    wipe(block);
    if (amount > left) amount = left;
    let i = 0;
    for (; i < amount; i++) {
      const dest = i * stride + (count - 1);
      if (dest >= keyLength) break;
      key[dest] = out[i];
    }
    wipe(out);
    left -= i;
  }
  wipe(sha2pass);
  return key;
}
