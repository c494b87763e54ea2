// The little big-number arithmetic import needs: an OpenSSH RSA key carries
// n, e, d, iqmp, p and q, and a JWK also wants d mod (p-1) and d mod (q-1).
// Numbers are unsigned big-endian bytes; the work is shift-and-subtract,
// bit by bit, which for 4096-bit numbers is a few hundred thousand word
// operations, once per import.

/** Little-endian 32-bit limbs of a big-endian number, `size` limbs long. */
function limbs(value: Uint8Array, size: i32): StaticArray<u32> {
  const out = new StaticArray<u32>(size);
  for (let i = 0; i < value.length; i++) {
    const bit = (value.length - 1 - i) * 8;
    const limb = bit >> 5;
    if (limb < size) out[limb] |= (<u32>value[i]) << (bit & 31);
  }
  return out;
}

function bytesOf(value: StaticArray<u32>): Uint8Array {
  const out = new Uint8Array(value.length * 4);
  for (let i = 0; i < value.length; i++) {
    const word = value[value.length - 1 - i];
    out[4 * i] = <u8>(word >>> 24);
    out[4 * i + 1] = <u8>(word >>> 16);
    out[4 * i + 2] = <u8>(word >>> 8);
    out[4 * i + 3] = <u8>word;
  }
  let start = 0;
  while (start < out.length - 1 && out[start] == 0) start++;
  return out.slice(start);
}

function atLeast(a: StaticArray<u32>, b: StaticArray<u32>): bool {
  for (let i = a.length - 1; i >= 0; i--) {
    if (a[i] != b[i]) return a[i] > b[i];
  }
  return true;
}

function subtractInPlace(a: StaticArray<u32>, b: StaticArray<u32>): void {
  let borrow: u64 = 0;
  for (let i = 0; i < a.length; i++) {
    const difference = <u64>a[i] - <u64>b[i] - borrow;
    a[i] = <u32>difference;
    borrow = (difference >> 63) & 1;
  }
}

/** a mod m, for m > 0 (big-endian bytes in and out). */
export function mod(a: Uint8Array, m: Uint8Array): Uint8Array {
  // One limb of headroom: the remainder is shifted left before it is reduced.
  const size = ((m.length + 3) >> 2) + 1;
  const modulus = limbs(m, size);
  const remainder = new StaticArray<u32>(size);
  for (let i = 0; i < a.length; i++) {
    for (let bit = 7; bit >= 0; bit--) {
      let carry: u32 = ((<u32>a[i]) >> (<u32>bit)) & 1;
      for (let j = 0; j < size; j++) {
        const word = remainder[j];
        remainder[j] = (word << 1) | carry;
        carry = word >>> 31;
      }
      if (atLeast(remainder, modulus)) subtractInPlace(remainder, modulus);
    }
  }
  return bytesOf(remainder);
}

/** value - 1, for value > 0. */
export function minusOne(value: Uint8Array): Uint8Array {
  const out = value.slice();
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] != 0) {
      out[i] -= 1;
      break;
    }
    out[i] = 0xff;
  }
  return out;
}

/** The number of significant bits. */
export function bitLength(value: Uint8Array): i32 {
  let start = 0;
  while (start < value.length && value[start] == 0) start++;
  if (start == value.length) return 0;
  return (value.length - start - 1) * 8 + (32 - <i32>clz<u32>(<u32>value[start]));
}

/** a * b (big-endian bytes in and out). */
export function multiply(a: Uint8Array, b: Uint8Array): Uint8Array {
  const sizeA = (a.length + 3) >> 2;
  const sizeB = (b.length + 3) >> 2;
  const x = limbs(a, sizeA);
  const y = limbs(b, sizeB);
  const product = new StaticArray<u32>(sizeA + sizeB + 1);
  for (let i = 0; i < sizeA; i++) {
    let carry: u64 = 0;
    const xi = <u64>x[i];
    for (let j = 0; j < sizeB; j++) {
      const sum = xi * <u64>y[j] + <u64>product[i + j] + carry;
      product[i + j] = <u32>sum;
      carry = sum >> 32;
    }
    product[i + sizeB] = <u32>carry;
  }
  return bytesOf(product);
}

/** value == 1. */
export function isOne(value: Uint8Array): bool {
  return bitLength(value) == 1;
}
