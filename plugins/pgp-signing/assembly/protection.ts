// Secret key material (RFC 4880 5.5.3, 3.7): unprotected (usage 0, 2-octet
// checksum), or encrypted with a passphrase (usage 254 with a SHA-1 check, 255
// with a 2-octet sum) under an S2K (simple, salted, iterated and salted) and
// AES-128/192/256 in CFB mode. The S2K and the decryption run in the host
// (two calls); the checks here. AEAD protection (usage 253), GnuPG's stubs
// (S2K 101: the secret is elsewhere) and other ciphers get precise errors.

import { Crypto, utf8 } from '../../sdk/assembly';
import { Reader, equalBytes, hexUpper, wipe } from './bytes';
import { fail } from './errors';
import { HASH_SHA1, digest, hashDisplayName, hashName } from './hash';
import {
  ALG_DSA,
  ALG_ECDH,
  ALG_ECDSA,
  ALG_EDDSA,
  ALG_ELGAMAL,
  ALG_RSA,
  ALG_RSA_ENCRYPT,
  ALG_RSA_SIGN,
  Key,
} from './keys';
import { readMpi } from './mpi';

export const USAGE_NONE: i32 = 0;
export const USAGE_AEAD: i32 = 253;
export const USAGE_SHA1: i32 = 254;
export const USAGE_SUM: i32 = 255;

export const GNU_NONE: i32 = 0;
/** gnu-dummy: the secret part was left out (gpg --export-secret-subkeys). */
export const GNU_DUMMY: i32 = 1;
/** divert-to-card: the secret part lives on a smartcard. */
export const GNU_CARD: i32 = 2;

export class Protection {
  usage: i32 = 0;
  cipher: i32 = 0;
  s2kType: i32 = 0;
  s2kHash: i32 = 0;
  salt: Uint8Array | null = null;
  count: i64 = 0;
  iv: Uint8Array = new Uint8Array(0);
  /** The (encrypted) secret material and its checksum. */
  data: Uint8Array = new Uint8Array(0);
  gnu: i32 = GNU_NONE;

  get isProtected(): bool {
    return this.usage != USAGE_NONE && this.gnu == GNU_NONE;
  }
}

function cipherName(id: i32): string {
  if (id == 1) return 'IDEA';
  if (id == 2) return 'TripleDES';
  if (id == 3) return 'CAST5';
  if (id == 4) return 'Blowfish';
  if (id == 7) return 'AES-128';
  if (id == 8) return 'AES-192';
  if (id == 9) return 'AES-256';
  if (id == 10) return 'Twofish';
  if (id == 11) return 'Camellia-128';
  if (id == 12) return 'Camellia-192';
  if (id == 13) return 'Camellia-256';
  return 'cipher ' + id.toString();
}

function aesKeyLength(id: i32): i32 {
  if (id == 7) return 16;
  if (id == 8) return 24;
  if (id == 9) return 32;
  return 0;
}

function whichKey(key: Key): string {
  return key.isPrimary ? 'the secret key' : 'the secret subkey ' + hexUpper(key.keyId);
}

/** How the secret part of a secret key packet is stored; null with the reason for what we cannot use. */
export function readProtection(key: Key): Protection | null {
  const secret = key.secretPart;
  if (secret == null) {
    fail(
      'the block holds a public key, not a secret key; paste the output of gpg --export-secret-keys --armor',
    );
    return null;
  }
  const p = new Protection();
  const r = new Reader(secret, 'secret key packet');
  if (!r.need(1)) return null;
  p.usage = r.byte();
  if (p.usage == USAGE_NONE) {
    p.data = r.take(r.remaining);
    return p;
  }
  if (p.usage == USAGE_AEAD) {
    // Cipher octet, then the AEAD mode (RFC 9580 5.5.3): 1 EAX, 2 OCB, 3 GCM.
    let mode = 'OCB/GCM';
    if (r.remaining >= 2) {
      r.byte();
      const aead = r.byte();
      mode = aead == 1 ? 'EAX' : aead == 2 ? 'OCB' : aead == 3 ? 'GCM' : 'mode ' + aead.toString();
    }
    fail(
      whichKey(key) +
        ' is protected with AEAD (' +
        mode +
        '), which this plugin cannot use; export it from GnuPG 2.2, or protect it without AEAD',
    );
    return null;
  }
  if (p.usage != USAGE_SHA1 && p.usage != USAGE_SUM) {
    fail(
      whichKey(key) +
        ' is protected the pre-2001 way (' +
        cipherName(p.usage) +
        ' without a string-to-key), which this plugin cannot use',
    );
    return null;
  }
  if (!r.need(2)) return null;
  p.cipher = r.byte();
  p.s2kType = r.byte();
  if (p.s2kType == 101) {
    // GnuPG extension: hash octet, "GNU", mode.
    if (!r.need(5)) return null;
    r.byte();
    const g = r.byte();
    const n = r.byte();
    const u = r.byte();
    if (g != 0x47 || n != 0x4e || u != 0x55) {
      fail(whichKey(key) + ' uses an unknown private S2K extension');
      return null;
    }
    const mode = r.byte();
    if (mode == 1) p.gnu = GNU_DUMMY;
    else if (mode == 2) p.gnu = GNU_CARD;
    else {
      fail(whichKey(key) + ' uses an unknown GnuPG S2K mode ' + mode.toString());
      return null;
    }
    return p;
  }
  if (p.s2kType != 0 && p.s2kType != 1 && p.s2kType != 3) {
    if (p.s2kType == 4)
      fail(whichKey(key) + ' uses the Argon2 S2K (RFC 9580), which this plugin does not support');
    else
      fail(
        whichKey(key) +
          ' uses S2K type ' +
          p.s2kType.toString() +
          ', which this plugin does not support',
      );
    return null;
  }
  if (!r.need(1)) return null;
  p.s2kHash = r.byte();
  if (p.s2kType != 0) {
    if (!r.need(8)) return null;
    p.salt = r.take(8);
  }
  if (p.s2kType == 3) {
    if (!r.need(1)) return null;
    const c = r.byte();
    p.count = (<i64>(16 + (c & 15))) << ((c >> 4) + 6);
  }
  if (aesKeyLength(p.cipher) == 0) {
    fail(
      whichKey(key) +
        ' is protected with ' +
        cipherName(p.cipher) +
        ', which this plugin cannot decrypt (AES-128, AES-192 and AES-256 it can)',
    );
    return null;
  }
  if (hashName(p.s2kHash).length == 0) {
    fail(
      whichKey(key) +
        "'s passphrase is hashed with " +
        hashDisplayName(p.s2kHash) +
        ', which this plugin does not support (SHA-1 and SHA-2 it does)',
    );
    return null;
  }
  if (!r.need(16)) return null;
  p.iv = r.take(16);
  p.data = r.take(r.remaining);
  return p;
}

/**
 * Keys derived in this call, so subkeys sharing an S2K specifier cost one
 * derivation. Forgotten (and wiped) at the end of every call: see forgetKeys.
 */
class DerivedKey {
  constructor(
    public spec: string,
    public passphrase: string,
    public key: Uint8Array,
  ) {}
}
const derived: DerivedKey[] = [];

/** Wipes and drops the derived keys; execute() calls it after every action. */
export function forgetKeys(): void {
  for (let i = 0; i < derived.length; i++) wipe(derived[i].key);
  derived.length = 0;
}

function deriveKey(p: Protection, passphrase: string): Uint8Array | null {
  const length = aesKeyLength(p.cipher);
  const salt = p.salt;
  const spec =
    p.s2kType.toString() +
    '/' +
    p.s2kHash.toString() +
    '/' +
    (salt != null ? hexUpper(salt) : '') +
    '/' +
    p.count.toString() +
    '/' +
    length.toString();
  for (let i = 0; i < derived.length; i++) {
    if (derived[i].spec == spec && derived[i].passphrase == passphrase) return derived[i].key;
  }
  const type = p.s2kType == 0 ? 'simple' : p.s2kType == 1 ? 'salted' : 'iterated';
  const result = Crypto.s2k(type, hashName(p.s2kHash), salt, p.count, utf8(passphrase), length);
  if (!result.ok) {
    fail('deriving the key from the passphrase failed: ' + result.error);
    return null;
  }
  derived.push(new DerivedKey(spec, passphrase, result.bytes));
  return result.bytes;
}

function sum16(data: Uint8Array, length: i32): i32 {
  let sum = 0;
  for (let i = 0; i < length; i++) sum = (sum + <i32>unchecked(data[i])) & 0xffff;
  return sum;
}

/** The secret values of a key, decrypted. */
export class SecretMaterial {
  /** RSA: d, p, q, u. Others: the one secret value (an MPI's magnitude). */
  values: Uint8Array[] = [];
  plain: Uint8Array = new Uint8Array(0);

  wipe(): void {
    wipe(this.plain);
  }
}

function secretValueCount(alg: i32): i32 {
  if (alg == ALG_RSA || alg == ALG_RSA_ENCRYPT || alg == ALG_RSA_SIGN) return 4;
  if (
    alg == ALG_DSA ||
    alg == ALG_ELGAMAL ||
    alg == ALG_ECDH ||
    alg == ALG_ECDSA ||
    alg == ALG_EDDSA
  )
    return 1;
  return -1;
}

const WRONG_PASSPHRASE = 'the passphrase is wrong';

/**
 * Decrypts (when protected) and checks the secret part. `passphrase` is the
 * credential's (empty when none). Null with a precise reason on failure.
 */
export function unlock(key: Key, p: Protection, passphrase: string): SecretMaterial | null {
  if (p.gnu == GNU_DUMMY) {
    fail(
      whichKey(key) +
        "'s secret part is not in this export (a GnuPG stub: the key was exported with --export-secret-subkeys)",
    );
    return null;
  }
  if (p.gnu == GNU_CARD) {
    fail(whichKey(key) + "'s secret part is on a smartcard, not in this export");
    return null;
  }
  let plain: Uint8Array;
  if (p.usage == USAGE_NONE) {
    plain = p.data;
    if (plain.length < 2) {
      fail(whichKey(key) + ' is truncated');
      return null;
    }
    const length = plain.length - 2;
    const stored = ((<i32>plain[length]) << 8) | plain[length + 1];
    if (sum16(plain, length) != stored) {
      fail(whichKey(key) + ' is damaged (its checksum does not match)');
      return null;
    }
    plain = plain.subarray(0, length);
  } else {
    if (passphrase.length == 0) {
      fail('the key is protected with a passphrase; enter it in the Passphrase field');
      return null;
    }
    const aesKey = deriveKey(p, passphrase);
    if (aesKey == null) return null;
    const decrypted = Crypto.aesDecrypt('cfb', aesKey, p.iv, p.data);
    if (!decrypted.ok) {
      fail('decrypting the secret key failed: ' + decrypted.error);
      return null;
    }
    const all = decrypted.bytes;
    if (p.usage == USAGE_SHA1) {
      if (all.length < 20) {
        fail(whichKey(key) + ' is truncated');
        return null;
      }
      const length = all.length - 20;
      const check = digest(HASH_SHA1, all.subarray(0, length));
      if (check == null) {
        wipe(all);
        return null;
      }
      if (!equalBytes(check, all.subarray(length))) {
        wipe(all);
        fail(WRONG_PASSPHRASE);
        return null;
      }
      plain = all.subarray(0, length);
    } else {
      if (all.length < 2) {
        fail(whichKey(key) + ' is truncated');
        return null;
      }
      const length = all.length - 2;
      if (sum16(all, length) != (((<i32>all[length]) << 8) | all[length + 1])) {
        wipe(all);
        fail(WRONG_PASSPHRASE);
        return null;
      }
      plain = all.subarray(0, length);
    }
  }
  const material = new SecretMaterial();
  material.plain = plain;
  const count = secretValueCount(key.algorithm);
  if (count < 0) return material; // native-format secrets (X25519 …): checked, never used here
  const r = new Reader(plain, 'secret key material');
  for (let i = 0; i < count; i++) {
    const value = readMpi(r);
    if (value == null) {
      fail(p.usage == USAGE_SUM ? WRONG_PASSPHRASE : whichKey(key) + ' is malformed');
      return null;
    }
    material.values.push(value);
  }
  if (r.remaining != 0) {
    fail(p.usage == USAGE_SUM ? WRONG_PASSPHRASE : whichKey(key) + ' is malformed');
    return null;
  }
  return material;
}
