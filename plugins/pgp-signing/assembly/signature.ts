// Signature packets (RFC 4880 5.2), version 4: the fields this plugin uses
// from the hashed and unhashed subpacket areas, the signature values, and the
// hash input: data || version..hashed subpackets || 0x04 0xFF len32.

import { Reader, Writer } from './bytes';
import { fail } from './errors';
import { Packet } from './packets';
import { mpiExact, readMpi } from './mpi';

export const SIG_BINARY: i32 = 0x00;
export const SIG_TEXT: i32 = 0x01;
export const SIG_CERT_GENERIC: i32 = 0x10;
export const SIG_CERT_POSITIVE: i32 = 0x13;
export const SIG_SUBKEY_BINDING: i32 = 0x18;
export const SIG_PRIMARY_BINDING: i32 = 0x19;
export const SIG_DIRECT_KEY: i32 = 0x1f;
export const SIG_KEY_REVOCATION: i32 = 0x20;
export const SIG_SUBKEY_REVOCATION: i32 = 0x28;
export const SIG_CERT_REVOCATION: i32 = 0x30;

// Subpacket types (RFC 4880 5.2.3.1, RFC 9580 5.2.3.7).
const SUB_CREATED: i32 = 2;
const SUB_SIG_EXPIRES: i32 = 3;
const SUB_KEY_EXPIRES: i32 = 9;
const SUB_ISSUER: i32 = 16;
const SUB_PRIMARY_UID: i32 = 25;
const SUB_KEY_FLAGS: i32 = 27;
const SUB_EMBEDDED: i32 = 32;
const SUB_ISSUER_FPR: i32 = 33;

/** Subpacket types a verifier may meet marked critical and still understand. */
function knownSubpacket(type: i32): bool {
  return (
    (type >= 2 && type <= 7) ||
    (type >= 9 && type <= 12) ||
    type == 16 ||
    (type >= 20 && type <= 35) ||
    (type >= 37 && type <= 39)
  );
}

export class Signature {
  packet: Packet;
  version: i32 = 0;
  type: i32 = 0;
  algorithm: i32 = 0;
  hashAlg: i32 = 0;
  /** version .. end of the hashed subpackets: what the trailer's length counts. */
  hashed: Uint8Array = new Uint8Array(0);
  created: i64 = -1;
  /** Seconds after creation; 0 when it does not expire. */
  expiresAfter: i64 = 0;
  /** Key expiration time (seconds after key creation); -1 when absent, 0 never. */
  keyExpiresAfter: i64 = -1;
  /** Key flags octet; -1 when absent. */
  flags: i32 = -1;
  primaryUserId: bool = false;
  issuerKeyId: Uint8Array | null = null;
  issuerFingerprint: Uint8Array | null = null;
  embedded: Signature | null = null;
  /** An unknown subpacket marked critical (the signature must not be trusted); -1 if none. */
  unknownCritical: i32 = -1;
  left16: Uint8Array = new Uint8Array(0);
  /** The signature values (MPIs, or the raw octets of a native Ed25519 signature). */
  values: Uint8Array[] = [];
  /** Every value MPI states its exact bit count (a changed count would verify all the same). */
  exact: bool = true;

  constructor(packet: Packet) {
    this.packet = packet;
  }

  /** Issued by the key with this fingerprint and key ID? A signature naming no issuer matches none. */
  issuedBy(fingerprint: Uint8Array, keyId: Uint8Array): bool {
    const fpr = this.issuerFingerprint;
    if (fpr != null) return equal(fpr, fingerprint);
    const id = this.issuerKeyId;
    if (id != null) return equal(id, keyId);
    return false;
  }

  /** The 0x04 0xFF len32 trailer of a v4 signature. */
  trailer(): Uint8Array {
    const out = new Writer(6);
    out
      .byte(this.version)
      .byte(0xff)
      .u32(<u32>this.hashed.length);
    return out.finish();
  }
}

function equal(a: Uint8Array, b: Uint8Array): bool {
  if (a.length != b.length) return false;
  return memory.compare(a.dataStart, b.dataStart, <usize>a.length) == 0;
}

function readU32(data: Uint8Array, at: i32): i64 {
  return (
    ((<i64>data[at]) << 24) |
    ((<i64>data[at + 1]) << 16) |
    ((<i64>data[at + 2]) << 8) |
    (<i64>data[at + 3])
  );
}

function readSubpackets(sig: Signature, area: Uint8Array, hashed: bool): bool {
  let pos = 0;
  while (pos < area.length) {
    const first = <i32>area[pos++];
    let length: i32;
    if (first < 192) {
      length = first;
    } else if (first < 255) {
      if (pos >= area.length) return fail('a signature subpacket is truncated');
      length = ((first - 192) << 8) + <i32>area[pos++] + 192;
    } else {
      if (pos + 4 > area.length) return fail('a signature subpacket is truncated');
      const long = readU32(area, pos);
      if (long > <i64>area.length) return fail('a signature subpacket is truncated');
      length = <i32>long;
      pos += 4;
    }
    if (length < 1 || pos + length > area.length) return fail('a signature subpacket is truncated');
    const typeOctet = <i32>area[pos];
    const type = typeOctet & 0x7f;
    const body = area.subarray(pos + 1, pos + length);
    pos += length;
    // Unknown and critical: the signature must not be trusted. A type that
    // RFC 4880/9580 leave undefined below the assigned range is no real
    // subpacket either (a changed octet), so it counts as unknown-critical.
    if ((typeOctet & 0x80 || type < 40) && !knownSubpacket(type)) sig.unknownCritical = type;
    if (type == SUB_ISSUER && body.length == 8) {
      sig.issuerKeyId = body;
    } else if (type == SUB_ISSUER_FPR && body.length == 21 && body[0] == 4) {
      sig.issuerFingerprint = body.subarray(1);
    } else if (type == SUB_EMBEDDED) {
      const embedded = parseSignatureBody(new Packet(2, body, body));
      if (embedded != null) sig.embedded = embedded;
    } else if (!hashed) {
      continue; // anything else counts only when it is signed
    } else if (type == SUB_CREATED && body.length == 4) {
      sig.created = readU32(body, 0);
    } else if (type == SUB_SIG_EXPIRES && body.length == 4) {
      sig.expiresAfter = readU32(body, 0);
    } else if (type == SUB_KEY_EXPIRES && body.length == 4) {
      sig.keyExpiresAfter = readU32(body, 0);
    } else if (type == SUB_KEY_FLAGS && body.length >= 1) {
      sig.flags = body[0];
    } else if (type == SUB_PRIMARY_UID && body.length == 1) {
      sig.primaryUserId = body[0] != 0;
    }
  }
  return true;
}

/** A v4 signature; null with the reason recorded for anything else. */
export function parseSignature(packet: Packet): Signature | null {
  return parseSignatureBody(packet);
}

function parseSignatureBody(packet: Packet): Signature | null {
  const body = packet.body;
  const sig = new Signature(packet);
  const r = new Reader(body, 'signature');
  if (!r.need(1)) return null;
  sig.version = r.byte();
  if (sig.version != 4) {
    if (sig.version == 3 || sig.version == 2) fail('v3 signatures are not supported');
    else if (sig.version == 5 || sig.version == 6)
      fail('v' + sig.version.toString() + ' signatures (OpenPGP v5/v6 keys) are not supported');
    else fail('unknown signature version ' + sig.version.toString());
    return null;
  }
  if (!r.need(5)) return null;
  sig.type = r.byte();
  sig.algorithm = r.byte();
  sig.hashAlg = r.byte();
  const hashedLength = r.u16();
  if (!r.need(hashedLength)) return null;
  const hashedArea = r.take(hashedLength);
  sig.hashed = body.subarray(0, r.pos);
  if (!r.need(2)) return null;
  const unhashedLength = r.u16();
  if (!r.need(unhashedLength)) return null;
  const unhashedArea = r.take(unhashedLength);
  if (!readSubpackets(sig, hashedArea, true)) return null;
  if (!readSubpackets(sig, unhashedArea, false)) return null;
  if (!r.need(2)) return null;
  sig.left16 = r.take(2);
  const alg = sig.algorithm;
  let count = 0;
  if (alg == 1 || alg == 3) count = 1;
  else if (alg == 17 || alg == 19 || alg == 22) count = 2;
  if (alg == 27) {
    if (!r.need(64)) return null;
    sig.values.push(r.take(64));
  } else if (count == 0) {
    sig.values.push(r.take(r.remaining)); // unknown algorithm: kept raw, never verified
  } else {
    for (let i = 0; i < count; i++) {
      const value = readMpi(r);
      if (value == null) return null;
      if (!mpiExact(r, value)) sig.exact = false;
      sig.values.push(value);
    }
  }
  if (r.remaining != 0) {
    fail('the signature has trailing data');
    return null;
  }
  return sig;
}
