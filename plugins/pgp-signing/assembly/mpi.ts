// Multiprecision integers (RFC 4880 3.2): a two-octet bit count, then the
// big-endian magnitude.

import { Reader, Writer } from './bytes';

/** The magnitude (a view); null with the reader's failure when truncated. */
export function readMpi(reader: Reader): Uint8Array | null {
  if (!reader.need(2)) return null;
  const bits = reader.u16();
  const length = (bits + 7) >> 3;
  if (!reader.need(length)) return null;
  return reader.take(length);
}

/**
 * Whether the MPI just read (`value`, with the two octets before it) states
 * its exact bit count, as RFC 4880 3.2 requires: no leading zero bits.
 */
export function mpiExact(reader: Reader, value: Uint8Array): bool {
  const at = reader.pos - value.length - 2;
  const bits = ((<i32>reader.data[at]) << 8) | reader.data[at + 1];
  return bits == bitLength(value);
}

/** `value` without its leading zero octets (a view). */
export function stripZeros(value: Uint8Array): Uint8Array {
  let start = 0;
  while (start < value.length && value[start] == 0) start++;
  return value.subarray(start);
}

export function bitLength(value: Uint8Array): i32 {
  const v = stripZeros(value);
  if (v.length == 0) return 0;
  return (v.length - 1) * 8 + (32 - clz<i32>(<i32>v[0]));
}

export function writeMpi(out: Writer, value: Uint8Array): void {
  const v = stripZeros(value);
  out.u16(bitLength(v));
  out.bytes(v);
}

/** `value` as exactly `size` big-endian octets; null when it does not fit. */
export function leftPad(value: Uint8Array, size: i32): Uint8Array | null {
  const v = stripZeros(value);
  if (v.length > size) return null;
  const out = new Uint8Array(size);
  out.set(v, size - v.length);
  return out;
}
