// SHA-1, SHA-224/256 and SHA-384/512 (FIPS 180-4) inside the plugin: the
// fingerprint of every key, the SHA-1 check of a decrypted secret key, and the
// digest of every signature are computed here rather than through one host
// call each. Streaming: update() any number of times, then digest().

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

const K256: StaticArray<u32> = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

const K512: StaticArray<u64> = [
  0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc,
  0x3956c25bf348b538, 0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118,
  0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
  0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694,
  0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
  0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
  0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4,
  0xc6e00bf33da88fc2, 0xd5a79147930aa725, 0x06ca6351e003826f, 0x142929670a0e6e70,
  0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
  0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
  0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30,
  0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
  0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8,
  0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3,
  0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
  0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b,
  0xca273eceea26619c, 0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178,
  0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
  0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c,
  0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
];

export class Hasher {
  readonly alg: i32;
  private blockSize: i32;
  private block: Uint8Array = new Uint8Array(128);
  private filled: i32 = 0;
  private total: u64 = 0;
  private h32: StaticArray<u32> = new StaticArray<u32>(8);
  private h64: StaticArray<u64> = new StaticArray<u64>(8);
  private w32: StaticArray<u32> = new StaticArray<u32>(80);
  private w64: StaticArray<u64> = new StaticArray<u64>(80);

  /** Callers pass a supported ID (hashName(alg) != ""). */
  constructor(alg: i32) {
    this.alg = alg;
    this.blockSize = alg == HASH_SHA384 || alg == HASH_SHA512 ? 128 : 64;
    const h32 = this.h32;
    const h64 = this.h64;
    if (alg == HASH_SHA1) {
      h32[0] = 0x67452301;
      h32[1] = 0xefcdab89;
      h32[2] = 0x98badcfe;
      h32[3] = 0x10325476;
      h32[4] = 0xc3d2e1f0;
    } else if (alg == HASH_SHA224) {
      h32[0] = 0xc1059ed8;
      h32[1] = 0x367cd507;
      h32[2] = 0x3070dd17;
      h32[3] = 0xf70e5939;
      h32[4] = 0xffc00b31;
      h32[5] = 0x68581511;
      h32[6] = 0x64f98fa7;
      h32[7] = 0xbefa4fa4;
    } else if (alg == HASH_SHA256) {
      h32[0] = 0x6a09e667;
      h32[1] = 0xbb67ae85;
      h32[2] = 0x3c6ef372;
      h32[3] = 0xa54ff53a;
      h32[4] = 0x510e527f;
      h32[5] = 0x9b05688c;
      h32[6] = 0x1f83d9ab;
      h32[7] = 0x5be0cd19;
    } else if (alg == HASH_SHA384) {
      h64[0] = 0xcbbb9d5dc1059ed8;
      h64[1] = 0x629a292a367cd507;
      h64[2] = 0x9159015a3070dd17;
      h64[3] = 0x152fecd8f70e5939;
      h64[4] = 0x67332667ffc00b31;
      h64[5] = 0x8eb44a8768581511;
      h64[6] = 0xdb0c2e0d64f98fa7;
      h64[7] = 0x47b5481dbefa4fa4;
    } else {
      h64[0] = 0x6a09e667f3bcc908;
      h64[1] = 0xbb67ae8584caa73b;
      h64[2] = 0x3c6ef372fe94f82b;
      h64[3] = 0xa54ff53a5f1d36f1;
      h64[4] = 0x510e527fade682d1;
      h64[5] = 0x9b05688c2b3e6c1f;
      h64[6] = 0x1f83d9abfb41bd6b;
      h64[7] = 0x5be0cd19137e2179;
    }
  }

  get digestLength(): i32 {
    const alg = this.alg;
    if (alg == HASH_SHA1) return 20;
    if (alg == HASH_SHA224) return 28;
    if (alg == HASH_SHA256) return 32;
    if (alg == HASH_SHA384) return 48;
    return 64;
  }

  update(data: Uint8Array): Hasher {
    this.updateRaw(data.dataStart, data.length);
    return this;
  }

  private updateRaw(ptr: usize, length: i32): void {
    this.total += <u64>length;
    const size = this.blockSize;
    let offset = 0;
    if (this.filled > 0) {
      const take = min(size - this.filled, length);
      memory.copy(this.block.dataStart + <usize>this.filled, ptr, <usize>take);
      this.filled += take;
      offset = take;
      if (this.filled < size) return;
      this.compress(this.block.dataStart);
      this.filled = 0;
    }
    while (length - offset >= size) {
      this.compress(ptr + <usize>offset);
      offset += size;
    }
    if (offset < length) {
      memory.copy(this.block.dataStart, ptr + <usize>offset, <usize>(length - offset));
      this.filled = length - offset;
    }
  }

  digest(): Uint8Array {
    const size = this.blockSize;
    const lengthField = size == 128 ? 16 : 8;
    const bits = this.total << 3;
    const block = this.block.dataStart;
    store<u8>(block + <usize>this.filled, 0x80);
    this.filled++;
    if (this.filled > size - lengthField) {
      memory.fill(block + <usize>this.filled, 0, <usize>(size - this.filled));
      this.compress(block);
      this.filled = 0;
    }
    memory.fill(block + <usize>this.filled, 0, <usize>(size - 8 - this.filled));
    store<u64>(block + <usize>(size - 8), bswap<u64>(bits));
    this.compress(block);

    const out = new Uint8Array(this.digestLength);
    const dst = out.dataStart;
    if (size == 64) {
      for (let i = 0; i < out.length >> 2; i++)
        store<u32>(dst + <usize>(i << 2), bswap<u32>(unchecked(this.h32[i])));
    } else {
      for (let i = 0; i < out.length >> 3; i++)
        store<u64>(dst + <usize>(i << 3), bswap<u64>(unchecked(this.h64[i])));
    }
    return out;
  }

  private compress(p: usize): void {
    if (this.alg == HASH_SHA1) this.sha1(p);
    else if (this.blockSize == 64) this.sha256(p);
    else this.sha512(p);
  }

  private sha1(p: usize): void {
    const w = this.w32;
    for (let i = 0; i < 16; i++) unchecked((w[i] = bswap<u32>(load<u32>(p + <usize>(i << 2)))));
    for (let i = 16; i < 80; i++)
      unchecked((w[i] = rotl<u32>(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1)));
    const h = this.h32;
    let a = unchecked(h[0]);
    let b = unchecked(h[1]);
    let c = unchecked(h[2]);
    let d = unchecked(h[3]);
    let e = unchecked(h[4]);
    for (let i = 0; i < 80; i++) {
      let f: u32;
      let k: u32;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6;
      }
      const t = rotl<u32>(a, 5) + f + e + k + unchecked(w[i]);
      e = d;
      d = c;
      c = rotl<u32>(b, 30);
      b = a;
      a = t;
    }
    unchecked((h[0] += a));
    unchecked((h[1] += b));
    unchecked((h[2] += c));
    unchecked((h[3] += d));
    unchecked((h[4] += e));
  }

  private sha256(p: usize): void {
    const w = this.w32;
    for (let i = 0; i < 16; i++) unchecked((w[i] = bswap<u32>(load<u32>(p + <usize>(i << 2)))));
    for (let i = 16; i < 64; i++) {
      const x = unchecked(w[i - 15]);
      const y = unchecked(w[i - 2]);
      const s0 = rotr<u32>(x, 7) ^ rotr<u32>(x, 18) ^ (x >>> 3);
      const s1 = rotr<u32>(y, 17) ^ rotr<u32>(y, 19) ^ (y >>> 10);
      unchecked((w[i] = w[i - 16] + s0 + w[i - 7] + s1));
    }
    const h = this.h32;
    let a = unchecked(h[0]);
    let b = unchecked(h[1]);
    let c = unchecked(h[2]);
    let d = unchecked(h[3]);
    let e = unchecked(h[4]);
    let f = unchecked(h[5]);
    let g = unchecked(h[6]);
    let hh = unchecked(h[7]);
    for (let i = 0; i < 64; i++) {
      const s1 = rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25);
      const ch = (e & f) ^ (~e & g);
      const t1 = hh + s1 + ch + unchecked(K256[i]) + unchecked(w[i]);
      const s0 = rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22);
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = s0 + maj;
      hh = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    unchecked((h[0] += a));
    unchecked((h[1] += b));
    unchecked((h[2] += c));
    unchecked((h[3] += d));
    unchecked((h[4] += e));
    unchecked((h[5] += f));
    unchecked((h[6] += g));
    unchecked((h[7] += hh));
  }

  private sha512(p: usize): void {
    const w = this.w64;
    for (let i = 0; i < 16; i++) unchecked((w[i] = bswap<u64>(load<u64>(p + <usize>(i << 3)))));
    for (let i = 16; i < 80; i++) {
      const x = unchecked(w[i - 15]);
      const y = unchecked(w[i - 2]);
      const s0 = rotr<u64>(x, 1) ^ rotr<u64>(x, 8) ^ (x >>> 7);
      const s1 = rotr<u64>(y, 19) ^ rotr<u64>(y, 61) ^ (y >>> 6);
      unchecked((w[i] = w[i - 16] + s0 + w[i - 7] + s1));
    }
    const h = this.h64;
    let a = unchecked(h[0]);
    let b = unchecked(h[1]);
    let c = unchecked(h[2]);
    let d = unchecked(h[3]);
    let e = unchecked(h[4]);
    let f = unchecked(h[5]);
    let g = unchecked(h[6]);
    let hh = unchecked(h[7]);
    for (let i = 0; i < 80; i++) {
      const s1 = rotr<u64>(e, 14) ^ rotr<u64>(e, 18) ^ rotr<u64>(e, 41);
      const ch = (e & f) ^ (~e & g);
      const t1 = hh + s1 + ch + unchecked(K512[i]) + unchecked(w[i]);
      const s0 = rotr<u64>(a, 28) ^ rotr<u64>(a, 34) ^ rotr<u64>(a, 39);
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = s0 + maj;
      hh = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    unchecked((h[0] += a));
    unchecked((h[1] += b));
    unchecked((h[2] += c));
    unchecked((h[3] += d));
    unchecked((h[4] += e));
    unchecked((h[5] += f));
    unchecked((h[6] += g));
    unchecked((h[7] += hh));
  }
}
