// Keys (RFC 4880 5.5, 11.1, 12.2): public and secret key packets of version 4,
// their fingerprints (SHA-1 over 0x99 || len16 || public body) and key IDs
// (the low 64 bits), and what their self-signatures say: capabilities (key
// flags), expiry and revocation, taken from the newest self-signature.

import { Reader, Writer, equalBytes, hexUpper } from './bytes';
import { fail } from './errors';
import { HASH_SHA1, digest } from './hash';
import { bitLength, readMpi } from './mpi';
import {
  Packet,
  TAG_PUBLIC_KEY,
  TAG_PUBLIC_SUBKEY,
  TAG_SECRET_KEY,
  TAG_SECRET_SUBKEY,
  TAG_SIGNATURE,
  TAG_USER_ATTRIBUTE,
  TAG_USER_ID,
} from './packets';
import {
  SIG_CERT_GENERIC,
  SIG_CERT_POSITIVE,
  SIG_CERT_REVOCATION,
  SIG_DIRECT_KEY,
  SIG_KEY_REVOCATION,
  SIG_SUBKEY_BINDING,
  SIG_SUBKEY_REVOCATION,
  Signature,
  parseSignature,
} from './signature';

// Public-key algorithm IDs (RFC 4880 9.1, RFC 9580 9.1).
export const ALG_RSA: i32 = 1;
export const ALG_RSA_ENCRYPT: i32 = 2;
export const ALG_RSA_SIGN: i32 = 3;
export const ALG_ELGAMAL: i32 = 16;
export const ALG_DSA: i32 = 17;
export const ALG_ECDH: i32 = 18;
export const ALG_ECDSA: i32 = 19;
export const ALG_EDDSA: i32 = 22;
export const ALG_X25519: i32 = 25;
export const ALG_X448: i32 = 26;
export const ALG_ED25519: i32 = 27;
export const ALG_ED448: i32 = 28;

// The curves this plugin signs with.
export const CURVE_OTHER: i32 = 0;
export const CURVE_P256: i32 = 1;
export const CURVE_P384: i32 = 2;
export const CURVE_ED25519: i32 = 3;

// Key flags (RFC 4880 5.2.3.21).
export const FLAG_CERTIFY: i32 = 0x01;
export const FLAG_SIGN: i32 = 0x02;
export const FLAG_ENCRYPT: i32 = 0x0c;
export const FLAG_AUTHENTICATE: i32 = 0x20;

const OID_HEX: string[] = [
  '2a8648ce3d030107',
  '2b81040022',
  '2b81040023',
  '2b06010401da470f01',
  '2b060104019755010501',
  '2b2403030208010107',
  '2b240303020801010b',
  '2b240303020801010d',
  '2b8104000a',
  '2b6571',
  '2b656f',
];
const OID_NAMES: string[] = [
  'NIST P-256',
  'NIST P-384',
  'NIST P-521',
  'Ed25519',
  'Curve25519',
  'brainpoolP256r1',
  'brainpoolP384r1',
  'brainpoolP512r1',
  'secp256k1',
  'Ed448',
  'X448',
];
const OID_CURVES: i32[] = [
  CURVE_P256,
  CURVE_P384,
  CURVE_OTHER,
  CURVE_ED25519,
  CURVE_OTHER,
  CURVE_OTHER,
  CURVE_OTHER,
  CURVE_OTHER,
  CURVE_OTHER,
  CURVE_OTHER,
  CURVE_OTHER,
];

const HEX = '0123456789abcdef';
function hexLower(data: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < data.length; i++) {
    parts.push(HEX.charAt(data[i] >> 4));
    parts.push(HEX.charAt(data[i] & 15));
  }
  return parts.join('');
}

/** An OID's dotted form (1.3.36.3.3.2.8.1.1.7). */
export function dottedOid(oid: Uint8Array): string {
  if (oid.length == 0) return '(empty)';
  const parts: string[] = [];
  const first = <i32>oid[0];
  const top = first < 40 ? 0 : first < 80 ? 1 : 2;
  parts.push(top.toString());
  parts.push((first - top * 40).toString());
  let value: u64 = 0;
  for (let i = 1; i < oid.length; i++) {
    value = (value << 7) | (<u64>(oid[i] & 0x7f));
    if ((oid[i] & 0x80) == 0) {
      parts.push(value.toString());
      value = 0;
    }
  }
  return parts.join('.');
}

export class Key {
  isPrimary: bool;
  packet: Packet;
  /** The public key packet body (for the fingerprint and for export). */
  publicBody: Uint8Array = new Uint8Array(0);
  /** What follows the public part in a secret key packet; null in a public key packet. */
  secretPart: Uint8Array | null = null;
  /**
   * A key loaded from what the import kept (the public key block): the handle
   * of its secret part, sealed in the host as JWK ("" when none was sealed),
   * or why its secret part could not be used (a GnuPG stub, a smartcard).
   */
  sealed: string = '';
  unsealed: string = '';
  version: i32 = 0;
  created: i64 = 0;
  algorithm: i32 = 0;
  // RSA
  n: Uint8Array = new Uint8Array(0);
  e: Uint8Array = new Uint8Array(0);
  // ECDSA, EdDSA, ECDH: the curve and the point (an MPI's magnitude).
  oid: Uint8Array = new Uint8Array(0);
  curve: i32 = CURVE_OTHER;
  curveName: string = '';
  point: Uint8Array = new Uint8Array(0);
  /** Modulus or prime size for RSA, DSA and Elgamal. */
  bits: i32 = 0;
  fingerprint: Uint8Array = new Uint8Array(0);
  keyId: Uint8Array = new Uint8Array(0);

  // From the self-signatures.
  /** The newest binding signature (subkeys) or the self-signature that counts (primary). */
  selfSig: Signature | null = null;
  directSig: Signature | null = null;
  bindings: Signature[] = [];
  flags: i32 = -1;
  /** Unix seconds; 0 when the key does not expire. */
  expiresAt: i64 = 0;
  revoked: bool = false;

  constructor(isPrimary: bool, packet: Packet) {
    this.isPrimary = isPrimary;
    this.packet = packet;
  }

  get fingerprintHex(): string {
    return hexUpper(this.fingerprint);
  }
  get keyIdHex(): string {
    return hexUpper(this.keyId);
  }

  /** "EdDSA (Ed25519)", "RSA 3072", "ECDSA (NIST P-256)", "ECDH (Curve25519)" … */
  get algorithmName(): string {
    const alg = this.algorithm;
    if (alg == ALG_RSA) return 'RSA ' + this.bits.toString();
    if (alg == ALG_RSA_ENCRYPT) return 'RSA ' + this.bits.toString() + ' (encrypt only)';
    if (alg == ALG_RSA_SIGN) return 'RSA ' + this.bits.toString() + ' (sign only)';
    if (alg == ALG_ELGAMAL) return 'Elgamal ' + this.bits.toString();
    if (alg == ALG_DSA) return 'DSA ' + this.bits.toString();
    if (alg == ALG_ECDH) return 'ECDH (' + this.curveName + ')';
    if (alg == ALG_ECDSA) return 'ECDSA (' + this.curveName + ')';
    if (alg == ALG_EDDSA) return 'EdDSA (' + this.curveName + ')';
    if (alg == ALG_X25519) return 'X25519';
    if (alg == ALG_X448) return 'X448';
    if (alg == ALG_ED25519) return 'Ed25519';
    if (alg == ALG_ED448) return 'Ed448';
    return 'algorithm ' + alg.toString();
  }

  /** Whether the algorithm can make signatures at all. */
  get algorithmCanSign(): bool {
    const alg = this.algorithm;
    return (
      alg == ALG_RSA ||
      alg == ALG_RSA_SIGN ||
      alg == ALG_DSA ||
      alg == ALG_ECDSA ||
      alg == ALG_EDDSA ||
      alg == ALG_ED25519 ||
      alg == ALG_ED448
    );
  }

  /** Key flags, or what the algorithm allows when the self-signature has none. */
  get effectiveFlags(): i32 {
    if (this.flags >= 0) return this.flags;
    const alg = this.algorithm;
    let flags = 0;
    if (this.isPrimary) flags |= FLAG_CERTIFY;
    if (this.algorithmCanSign) flags |= FLAG_SIGN;
    if (alg == ALG_RSA || alg == ALG_RSA_ENCRYPT || alg == ALG_ELGAMAL || alg == ALG_ECDH)
      flags |= FLAG_ENCRYPT;
    if (alg == ALG_X25519 || alg == ALG_X448) flags |= FLAG_ENCRYPT;
    return flags;
  }

  get canSign(): bool {
    return this.algorithmCanSign && (this.effectiveFlags & FLAG_SIGN) != 0;
  }

  /**
   * Why this plugin cannot sign or verify with the algorithm ("" when it can):
   * RSA, ECDSA on P-256/P-384 and EdDSA on Ed25519.
   */
  get algorithmProblem(): string {
    const alg = this.algorithm;
    if (alg == ALG_RSA || alg == ALG_RSA_SIGN) return '';
    if (alg == ALG_ECDSA || alg == ALG_EDDSA) {
      const wanted =
        alg == ALG_ECDSA
          ? this.curve == CURVE_P256 || this.curve == CURVE_P384
          : this.curve == CURVE_ED25519;
      if (wanted) return '';
      return (
        'the key uses the curve ' +
        this.curveName +
        ' (OID ' +
        dottedOid(this.oid) +
        ') with ' +
        (alg == ALG_ECDSA ? 'ECDSA' : 'EdDSA') +
        ', which this plugin does not support (it signs with Ed25519, NIST P-256 and NIST P-384)'
      );
    }
    if (alg == ALG_DSA) return 'the key uses DSA, which this plugin does not support';
    if (alg == ALG_ED25519 || alg == ALG_ED448)
      return (
        'the key uses the ' +
        this.algorithmName +
        ' algorithm of RFC 9580 (algorithm ' +
        alg.toString() +
        '), which this plugin does not support; use a GnuPG EdDSA key'
      );
    return 'the key (' + this.algorithmName + ') cannot sign';
  }

  capabilities(): string[] {
    const flags = this.effectiveFlags;
    const out: string[] = [];
    if (flags & FLAG_CERTIFY) out.push('certify');
    if (flags & FLAG_SIGN) out.push('sign');
    if (flags & FLAG_ENCRYPT) out.push('encrypt');
    if (flags & FLAG_AUTHENTICATE) out.push('authenticate');
    return out;
  }

  expiredAt(now: i64): bool {
    return this.expiresAt > 0 && now > 0 && now >= this.expiresAt;
  }
}

export class UserId {
  constructor(
    public text: string,
    public revoked: bool,
  ) {}
}

export class KeyRing {
  primary: Key;
  subkeys: Key[] = [];
  userIds: UserId[] = [];
  /** Every packet of this key, in order (export walks them). */
  packets: Packet[] = [];

  constructor(primary: Key) {
    this.primary = primary;
  }

  /** The primary and the subkeys. */
  all(): Key[] {
    const keys: Key[] = [this.primary];
    for (let i = 0; i < this.subkeys.length; i++) keys.push(this.subkeys[i]);
    return keys;
  }

  /** The (sub)key with this fingerprint (when given) or else this key ID, or null. */
  find(fingerprint: Uint8Array | null, keyId: Uint8Array | null): Key | null {
    const keys = this.all();
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (fingerprint != null) {
        if (equalBytes(fingerprint, key.fingerprint)) return key;
      } else if (keyId != null && equalBytes(keyId, key.keyId)) return key;
    }
    return null;
  }
}

/** The public material of algorithms we know; false for an unknown one (reason recorded). */
function readPublicMaterial(key: Key, r: Reader): bool {
  const alg = key.algorithm;
  if (alg == ALG_RSA || alg == ALG_RSA_ENCRYPT || alg == ALG_RSA_SIGN) {
    const n = readMpi(r);
    if (n == null) return false;
    const e = readMpi(r);
    if (e == null) return false;
    key.n = n;
    key.e = e;
    key.bits = bitLength(n);
    return true;
  }
  if (alg == ALG_DSA || alg == ALG_ELGAMAL) {
    const count = alg == ALG_DSA ? 4 : 3;
    for (let i = 0; i < count; i++) {
      const value = readMpi(r);
      if (value == null) return false;
      if (i == 0) key.bits = bitLength(value);
    }
    return true;
  }
  if (alg == ALG_ECDH || alg == ALG_ECDSA || alg == ALG_EDDSA) {
    if (!r.need(1)) return false;
    const oidLength = r.byte();
    if (oidLength == 0 || oidLength == 0xff) return fail('a key has a reserved curve OID length');
    if (!r.need(oidLength)) return false;
    key.oid = r.take(oidLength);
    const hex = hexLower(key.oid);
    key.curveName = 'the curve with OID ' + dottedOid(key.oid);
    for (let i = 0; i < OID_HEX.length; i++) {
      if (OID_HEX[i] == hex) {
        key.curveName = OID_NAMES[i];
        key.curve = OID_CURVES[i];
      }
    }
    if (key.curveName.startsWith('the curve')) key.curveName = dottedOid(key.oid);
    const point = readMpi(r);
    if (point == null) return false;
    key.point = point;
    if (alg == ALG_ECDH) {
      if (!r.need(1)) return false;
      const kdfLength = r.byte();
      if (!r.need(kdfLength)) return false;
      r.take(kdfLength);
    }
    return true;
  }
  let size = 0;
  if (alg == ALG_X25519 || alg == ALG_ED25519) size = 32;
  else if (alg == ALG_X448) size = 56;
  else if (alg == ALG_ED448) size = 57;
  if (size > 0) {
    if (!r.need(size)) return false;
    key.point = r.take(size);
    return true;
  }
  return fail(
    'a key uses public-key algorithm ' + alg.toString() + ', which this plugin does not know',
  );
}

function knownAlgorithm(alg: i32): bool {
  return (
    (alg >= ALG_RSA && alg <= ALG_RSA_SIGN) ||
    (alg >= ALG_ELGAMAL && alg <= ALG_ECDSA) ||
    alg == ALG_EDDSA ||
    (alg >= ALG_X25519 && alg <= ALG_ED448)
  );
}

function readKey(packet: Packet, isPrimary: bool): Key | null {
  const key = new Key(isPrimary, packet);
  const body = packet.body;
  const r = new Reader(body, 'key packet');
  if (!r.need(1)) return null;
  key.version = r.byte();
  if (key.version == 5 || key.version == 6) {
    fail(
      'the key is an OpenPGP v' +
        key.version.toString() +
        ' key: OpenPGP v5/v6 keys are not supported; export a v4 key',
    );
    return null;
  }
  if (key.version == 2 || key.version == 3) {
    fail('OpenPGP v3 keys are not supported; export a v4 key');
    return null;
  }
  if (key.version != 4) {
    fail('unknown key packet version ' + key.version.toString());
    return null;
  }
  if (!r.need(5)) return null;
  key.created = <i64>r.u32();
  key.algorithm = r.byte();
  const secret = packet.tag == TAG_SECRET_KEY || packet.tag == TAG_SECRET_SUBKEY;
  if (!readPublicMaterial(key, r)) {
    // A public key packet's length says where its material ends, so an
    // unknown algorithm there is only unusable; in a secret key packet the
    // secret part could not be found.
    if (secret || knownAlgorithm(key.algorithm)) return null;
    r.pos = r.end;
  }
  key.publicBody = body.subarray(0, r.pos);
  if (secret) key.secretPart = body.subarray(r.pos);
  else if (r.remaining != 0) {
    fail('a public key packet has trailing data');
    return null;
  }
  // One host call per key, once per plugin call: 0x99 || len16 || public body.
  const input = new Writer(key.publicBody.length + 3)
    .byte(0x99)
    .u16(key.publicBody.length)
    .bytes(key.publicBody)
    .finish();
  const fingerprint = digest(HASH_SHA1, input);
  if (fingerprint == null) return null;
  key.fingerprint = fingerprint;
  key.keyId = fingerprint.subarray(12, 20);
  return key;
}

/** Self-signature: issued by the primary (or naming no issuer at all). */
function bySelf(sig: Signature, primary: Key): bool {
  if (sig.issuerFingerprint == null && sig.issuerKeyId == null) return true;
  return sig.issuedBy(primary.fingerprint, primary.keyId);
}

function newer(candidate: Signature, current: Signature | null): bool {
  return current == null || candidate.created >= current.created;
}

class Building {
  ring: KeyRing;
  /** 0: after the primary, 1: after a user ID, 2: after a user attribute, 3: after a subkey. */
  state: i32 = 0;
  userId: UserId | null = null;
  uidSig: Signature | null = null;
  uidSigPrimary: Signature | null = null;
  constructor(ring: KeyRing) {
    this.ring = ring;
  }
}

function closeUserId(b: Building): void {
  const uid = b.userId;
  if (uid == null || uid.revoked) return;
  // The self-signature that counts for the primary key: the newest one on a
  // user ID marked primary, else the newest on any valid user ID.
  const sig = b.uidSig;
  if (sig == null) return;
  if (sig.primaryUserId) {
    if (newer(sig, b.uidSigPrimary)) b.uidSigPrimary = sig;
  }
  const primary = b.ring.primary;
  if (b.uidSigPrimary == null && newer(sig, primary.selfSig)) primary.selfSig = sig;
}

function finishRing(b: Building): void {
  closeUserId(b);
  const primary = b.ring.primary;
  if (b.uidSigPrimary != null) primary.selfSig = b.uidSigPrimary;
  applySelfSig(primary, primary.selfSig, primary.directSig);
  for (let i = 0; i < b.ring.subkeys.length; i++) {
    const sub = b.ring.subkeys[i];
    applySelfSig(sub, sub.selfSig, null);
  }
}

function applySelfSig(key: Key, sig: Signature | null, direct: Signature | null): void {
  let flags = -1;
  let expires: i64 = -1;
  if (sig != null) {
    flags = sig.flags;
    expires = sig.keyExpiresAfter;
  }
  if (direct != null) {
    if (flags < 0) flags = direct.flags;
    if (expires < 0) expires = direct.keyExpiresAfter;
  }
  key.flags = flags;
  key.expiresAt = expires > 0 ? key.created + expires : 0;
}

/**
 * Every key (primary with its user IDs and subkeys) in the packets. `what`
 * names the data in errors.
 */
export function readKeyRings(packets: Packet[], what: string): KeyRing[] | null {
  const rings: KeyRing[] = [];
  let b: Building | null = null;
  for (let i = 0; i < packets.length; i++) {
    const packet = packets[i];
    const tag = packet.tag;
    if (tag == TAG_SECRET_KEY || tag == TAG_PUBLIC_KEY) {
      if (b != null) finishRing(b);
      const primary = readKey(packet, true);
      if (primary == null) return null;
      const ring = new KeyRing(primary);
      ring.packets.push(packet);
      rings.push(ring);
      b = new Building(ring);
      continue;
    }
    if (b == null) {
      // Marker and trust packets may come first; anything else means this is no key.
      if (tag == 10 || tag == 12) continue;
      if (tag == TAG_SIGNATURE || tag == 4 || tag == 8 || tag == 11) {
        fail('the ' + what + ' is a signature or a message, not a key');
        return null;
      }
      fail('the ' + what + ' does not start with a key packet');
      return null;
    }
    const building = b;
    const ring = building.ring;
    ring.packets.push(packet);
    if (tag == TAG_SECRET_SUBKEY || tag == TAG_PUBLIC_SUBKEY) {
      closeUserId(building);
      building.userId = null;
      const sub = readKey(packet, false);
      if (sub == null) return null;
      ring.subkeys.push(sub);
      building.state = 3;
    } else if (tag == TAG_USER_ID) {
      closeUserId(building);
      const uid = new UserId(
        String.UTF8.decodeUnsafe(packet.body.dataStart, <usize>packet.body.length),
        false,
      );
      ring.userIds.push(uid);
      building.userId = uid;
      building.uidSig = null;
      building.state = 1;
    } else if (tag == TAG_USER_ATTRIBUTE) {
      closeUserId(building);
      building.userId = null;
      building.state = 2;
    } else if (tag == TAG_SIGNATURE) {
      const sig = parseSignature(packet);
      if (sig == null) continue; // a signature we cannot read says nothing
      const primary = ring.primary;
      if (!bySelf(sig, primary) || sig.unknownCritical >= 0) continue;
      const type = sig.type;
      if (building.state == 0) {
        if (type == SIG_KEY_REVOCATION) primary.revoked = true;
        else if (type == SIG_DIRECT_KEY && newer(sig, primary.directSig)) primary.directSig = sig;
      } else if (building.state == 1) {
        if (type == SIG_CERT_REVOCATION) {
          const uid = building.userId;
          if (uid != null) uid.revoked = true;
        } else if (type >= SIG_CERT_GENERIC && type <= SIG_CERT_POSITIVE) {
          if (newer(sig, building.uidSig)) building.uidSig = sig;
        }
      } else if (building.state == 3) {
        const sub = ring.subkeys[ring.subkeys.length - 1];
        if (type == SIG_SUBKEY_REVOCATION) sub.revoked = true;
        else if (type == SIG_SUBKEY_BINDING) {
          sub.bindings.push(sig);
          if (newer(sig, sub.selfSig)) sub.selfSig = sig;
        }
      } else if (type == SIG_KEY_REVOCATION) {
        primary.revoked = true;
      }
    }
  }
  if (b != null) finishRing(b);
  if (rings.length == 0) {
    fail('the ' + what + ' holds no key');
    return null;
  }
  return rings;
}
