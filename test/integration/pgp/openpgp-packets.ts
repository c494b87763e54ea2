import { createCipheriv, createHash, randomBytes } from 'node:crypto';

// Just enough OpenPGP (RFC 4880 / 9580) to make the keys GnuPG 2.2 cannot:
// armor with its CRC-24, the packet framing, the version octet of key packets,
// and passphrase protection with a chosen S2K hash, cipher and count. The
// tests check each crafted key against gpg itself where gpg can read it.

export const TAG = {
  signature: 2,
  secretKey: 5,
  publicKey: 6,
  secretSubkey: 7,
  userId: 13,
  publicSubkey: 14,
} as const;

// ── armor ────────────────────────────────────────────────────────────────

/** CRC-24 of RFC 4880 6.1. */
export function crc24(data: Uint8Array): number {
  let crc = 0xb704ce;
  for (const byte of data) {
    crc ^= byte << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

export type ArmorType = 'PRIVATE KEY BLOCK' | 'PUBLIC KEY BLOCK' | 'SIGNATURE' | 'MESSAGE';

/** ASCII armor as GnuPG writes it: 64-column base64 and the CRC-24 line. */
export function armor(type: ArmorType, data: Uint8Array): string {
  const body = Buffer.from(data).toString('base64');
  const lines = body.match(/.{1,64}/g) ?? [];
  const crc = Buffer.from([
    (crc24(data) >> 16) & 0xff,
    (crc24(data) >> 8) & 0xff,
    crc24(data) & 0xff,
  ]);
  return [
    `-----BEGIN PGP ${type}-----`,
    '',
    ...lines,
    `=${crc.toString('base64')}`,
    `-----END PGP ${type}-----`,
    '',
  ].join('\n');
}

/** The bytes of an armored block; throws on a CRC mismatch. */
export function dearmor(text: string): Buffer {
  const match = /-----BEGIN PGP ([A-Z ]+)-----\r?\n([\s\S]*?)-----END PGP \1-----/.exec(text);
  if (!match) throw new Error('no armored block');
  const lines = (match[2] ?? '').split(/\r?\n/);
  const blank = lines.findIndex((l) => l.trim() === '');
  const content = lines.slice(blank + 1).filter((l) => l.trim() !== '');
  const last = content[content.length - 1] ?? '';
  const crcLine = /^=[A-Za-z0-9+/]{4}$/.test(last);
  const data = Buffer.from((crcLine ? content.slice(0, -1) : content).join(''), 'base64');
  if (crcLine) {
    const crc = Buffer.from(last.slice(1), 'base64').readUIntBE(0, 3);
    if (crc !== crc24(data)) throw new Error('armor CRC mismatch');
  }
  return data;
}

/** The armored text with its CRC line changed to a wrong (but well-formed) one. */
export function withBadCrc(armored: string): string {
  return armored.replace(/^=([A-Za-z0-9+/]{4})$/m, (_, crc: string) => {
    const value = Buffer.from(crc, 'base64').readUIntBE(0, 3) ^ 0x000001;
    const bytes = Buffer.from([(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff]);
    return `=${bytes.toString('base64')}`;
  });
}

// ── packets ──────────────────────────────────────────────────────────────

export interface Packet {
  tag: number;
  body: Buffer;
}

/** Splits binary OpenPGP data into packets (old and new framing; no partial lengths). */
export function parsePackets(data: Uint8Array): Packet[] {
  const buf = Buffer.from(data);
  const packets: Packet[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const ctb = buf.readUInt8(pos++);
    if (!(ctb & 0x80)) throw new Error(`not a packet header at ${pos - 1}`);
    let tag: number;
    let length: number;
    if (ctb & 0x40) {
      tag = ctb & 0x3f;
      const first = buf.readUInt8(pos++);
      if (first < 192) length = first;
      else if (first < 224) length = ((first - 192) << 8) + buf.readUInt8(pos++) + 192;
      else if (first === 255) {
        length = buf.readUInt32BE(pos);
        pos += 4;
      } else throw new Error('partial body lengths are not used in keys');
    } else {
      tag = (ctb >> 2) & 0x0f;
      const type = ctb & 3;
      if (type === 0) length = buf.readUInt8(pos++);
      else if (type === 1) {
        length = buf.readUInt16BE(pos);
        pos += 2;
      } else if (type === 2) {
        length = buf.readUInt32BE(pos);
        pos += 4;
      } else length = buf.length - pos;
    }
    packets.push({ tag, body: buf.subarray(pos, pos + length) });
    pos += length;
  }
  return packets;
}

/** One packet in the new framing. */
export function writePacket(tag: number, body: Uint8Array): Buffer {
  const n = body.length;
  let length: Buffer;
  if (n < 192) length = Buffer.from([n]);
  else if (n < 8384) length = Buffer.from([((n - 192) >> 8) + 192, (n - 192) & 0xff]);
  else {
    length = Buffer.alloc(5);
    length[0] = 255;
    length.writeUInt32BE(n, 1);
  }
  return Buffer.concat([Buffer.from([0xc0 | tag]), length, body]);
}

export function writePackets(packets: Packet[]): Buffer {
  return Buffer.concat(packets.map((p) => writePacket(p.tag, p.body)));
}

// ── key packets ──────────────────────────────────────────────────────────

const isKeyPacket = (tag: number) =>
  tag === TAG.secretKey ||
  tag === TAG.secretSubkey ||
  tag === TAG.publicKey ||
  tag === TAG.publicSubkey;

/** The secret key with the version octet of its primary key packet set to `version`. */
export function withPrimaryKeyVersion(secretKey: Uint8Array, version: number): Buffer {
  const packets = parsePackets(secretKey).map((p) => ({ ...p, body: Buffer.from(p.body) }));
  const primary = packets.find((p) => p.tag === TAG.secretKey);
  if (!primary) throw new Error('no secret key packet');
  primary.body[0] = version;
  return writePackets(packets);
}

/** The versions of the key packets: the primary first. */
export function keyVersions(data: Uint8Array): number[] {
  return parsePackets(data)
    .filter((p) => isKeyPacket(p.tag))
    .map((p) => p.body.readUInt8(0));
}

/** Where a v4 key packet's public part ends (RFC 4880 5.5.2, 9580 5.5.5). */
function publicPartEnd(body: Buffer): number {
  if (body.readUInt8(0) !== 4) throw new Error(`key packet version ${body.readUInt8(0)}`);
  const algorithm = body.readUInt8(5);
  let pos = 6;
  const mpi = () => {
    const bits = body.readUInt16BE(pos);
    pos += 2 + Math.ceil(bits / 8);
  };
  const oid = () => {
    pos += 1 + body.readUInt8(pos);
  };
  switch (algorithm) {
    case 1:
    case 2:
    case 3:
      mpi();
      mpi();
      break;
    case 17:
      mpi();
      mpi();
      mpi();
      mpi();
      break;
    case 16:
    case 20:
      mpi();
      mpi();
      mpi();
      break;
    case 19:
    case 22:
      oid();
      mpi();
      break;
    case 18:
      oid();
      mpi();
      pos += 1 + body.readUInt8(pos);
      break;
    default:
      throw new Error(`public-key algorithm ${algorithm}`);
  }
  return pos;
}

/** The S2K usage octet of each secret key packet (0 none, 254 CFB + SHA-1, 253 AEAD). */
export function s2kUsages(secretKey: Uint8Array): number[] {
  return parsePackets(secretKey)
    .filter((p) => p.tag === TAG.secretKey || p.tag === TAG.secretSubkey)
    .map((p) => p.body.readUInt8(publicPartEnd(p.body)));
}

/** The public key block of a secret key block: each secret key packet cut to its public part. */
export function publicPartOf(secretKey: Uint8Array): Buffer {
  return writePackets(
    parsePackets(secretKey).map((p) => {
      if (p.tag === TAG.secretKey)
        return { tag: TAG.publicKey, body: p.body.subarray(0, publicPartEnd(p.body)) };
      if (p.tag === TAG.secretSubkey)
        return { tag: TAG.publicSubkey, body: p.body.subarray(0, publicPartEnd(p.body)) };
      return p;
    }),
  );
}

export type Cipher = 'aes128' | 'aes192' | 'aes256';
export type S2kHash = 'sha1' | 'sha256';
const CIPHER_IDS: Record<Cipher, number> = { aes128: 7, aes192: 8, aes256: 9 };
const KEY_LENGTHS: Record<Cipher, number> = { aes128: 16, aes192: 24, aes256: 32 };
const HASH_IDS: Record<S2kHash, number> = { sha1: 2, sha256: 8 };

/** The octet count an S2K count octet stands for (RFC 4880 3.7.1.3). */
export function s2kCount(countOctet: number): number {
  return (16 + (countOctet & 15)) << ((countOctet >> 4) + 6);
}

/** Iterated and salted S2K, with as many hash contexts as the key length needs. */
export function iteratedS2k(
  hash: S2kHash,
  passphrase: string,
  salt: Buffer,
  countOctet: number,
  keyLength: number,
): Buffer {
  const material = Buffer.concat([salt, Buffer.from(passphrase, 'utf8')]);
  const count = Math.max(s2kCount(countOctet), material.length);
  const out: Buffer[] = [];
  for (let context = 0; Buffer.concat(out).length < keyLength; context++) {
    const h = createHash(hash);
    h.update(Buffer.alloc(context));
    const full = Math.floor(count / material.length);
    for (let i = 0; i < full; i++) h.update(material);
    h.update(material.subarray(0, count - full * material.length));
    out.push(h.digest());
  }
  return Buffer.concat(out).subarray(0, keyLength);
}

/**
 * Protects every unprotected secret (sub)key packet with a passphrase the way
 * GnuPG does (S2K usage 254: iterated and salted S2K, CFB, SHA-1 checksum),
 * but with the cipher, S2K hash and count chosen here.
 */
export function protectSecretKey(
  unprotected: Uint8Array,
  options: { passphrase: string; cipher: Cipher; hash: S2kHash; countOctet: number },
): Buffer {
  return writePackets(
    parsePackets(unprotected).map((p) => {
      if (p.tag !== TAG.secretKey && p.tag !== TAG.secretSubkey) return p;
      const end = publicPartEnd(p.body);
      if (p.body.readUInt8(end) !== 0) throw new Error('the key is already protected');
      const secret = p.body.subarray(end + 1, p.body.length - 2);
      const salt = randomBytes(8);
      const iv = randomBytes(16);
      const key = iteratedS2k(
        options.hash,
        options.passphrase,
        salt,
        options.countOctet,
        KEY_LENGTHS[options.cipher],
      );
      const cipher = createCipheriv(`aes-${KEY_LENGTHS[options.cipher] * 8}-cfb`, key, iv);
      const plaintext = Buffer.concat([secret, createHash('sha1').update(secret).digest()]);
      const encrypted = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      const s2k = Buffer.concat([
        Buffer.from([254, CIPHER_IDS[options.cipher], 3, HASH_IDS[options.hash]]),
        salt,
        Buffer.from([options.countOctet]),
      ]);
      return { tag: p.tag, body: Buffer.concat([p.body.subarray(0, end), s2k, iv, encrypted]) };
    }),
  );
}

/**
 * A GnuPG-protected secret key (S2K usage 254) relabelled as AEAD-protected
 * (usage 253, OCB): the layout RFC 9580 gives v4 keys, with an AEAD octet after
 * the cipher. The rest is left as it was; a reader must refuse it on the usage.
 */
export function relabelledAsAead(protectedKey: Uint8Array, aeadAlgorithm = 2): Buffer {
  return writePackets(
    parsePackets(protectedKey).map((p) => {
      if (p.tag !== TAG.secretKey && p.tag !== TAG.secretSubkey) return p;
      const end = publicPartEnd(p.body);
      if (p.body.readUInt8(end) !== 254) throw new Error('expected S2K usage 254');
      return {
        tag: p.tag,
        body: Buffer.concat([
          p.body.subarray(0, end),
          Buffer.from([253, p.body.readUInt8(end + 1), aeadAlgorithm]),
          p.body.subarray(end + 2),
        ]),
      };
    }),
  );
}
