// Byte buffers: a growable writer (amortised doubling, so building a packet
// or an armored block stays linear) and a bounds-checked reader.

import { fail } from './errors';

export class Writer {
  buffer: Uint8Array;
  length: i32 = 0;

  constructor(capacity: i32 = 256) {
    this.buffer = new Uint8Array(capacity < 16 ? 16 : capacity);
  }

  private reserve(extra: i32): void {
    const needed = this.length + extra;
    if (needed <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    if (capacity < needed) capacity = needed;
    const grown = new Uint8Array(capacity);
    memory.copy(grown.dataStart, this.buffer.dataStart, <usize>this.length);
    this.buffer = grown;
  }

  byte(value: i32): Writer {
    this.reserve(1);
    unchecked((this.buffer[this.length++] = <u8>value));
    return this;
  }

  u16(value: i32): Writer {
    this.reserve(2);
    unchecked((this.buffer[this.length] = <u8>(value >> 8)));
    unchecked((this.buffer[this.length + 1] = <u8>value));
    this.length += 2;
    return this;
  }

  u32(value: u32): Writer {
    this.reserve(4);
    store<u32>(this.buffer.dataStart + <usize>this.length, bswap<u32>(value));
    this.length += 4;
    return this;
  }

  bytes(data: Uint8Array): Writer {
    this.reserve(data.length);
    memory.copy(this.buffer.dataStart + <usize>this.length, data.dataStart, <usize>data.length);
    this.length += data.length;
    return this;
  }

  /** The written bytes (a view of the buffer: write nothing more after this). */
  finish(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}

/** Reads big-endian fields; every read is checked against the end. */
export class Reader {
  data: Uint8Array;
  pos: i32;
  end: i32;
  /** Named in the error when the data runs out ("key packet", "signature"). */
  what: string;

  constructor(data: Uint8Array, what: string, start: i32 = 0, end: i32 = -1) {
    this.data = data;
    this.pos = start;
    this.end = end < 0 ? data.length : end;
    this.what = what;
  }

  get remaining(): i32 {
    return this.end - this.pos;
  }

  /** True when `n` more bytes are there; records a failure otherwise. */
  need(n: i32): bool {
    if (n >= 0 && this.pos + n <= this.end) return true;
    return fail('the ' + this.what + ' is truncated or malformed');
  }

  /** Call only after need(). */
  byte(): i32 {
    return unchecked(this.data[this.pos++]);
  }

  u16(): i32 {
    const value = ((<i32>unchecked(this.data[this.pos])) << 8) | unchecked(this.data[this.pos + 1]);
    this.pos += 2;
    return value;
  }

  u32(): u32 {
    const value = bswap<u32>(load<u32>(this.data.dataStart + <usize>this.pos));
    this.pos += 4;
    return value;
  }

  take(n: i32): Uint8Array {
    const view = this.data.subarray(this.pos, this.pos + n);
    this.pos += n;
    return view;
  }
}

export function equalBytes(a: Uint8Array, b: Uint8Array): bool {
  if (a.length != b.length) return false;
  return memory.compare(a.dataStart, b.dataStart, <usize>a.length) == 0;
}

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Overwrites secret bytes once they are no longer needed. */
export function wipe(data: Uint8Array): void {
  memory.fill(data.dataStart, 0, <usize>data.length);
}

const HEX_UPPER = '0123456789ABCDEF';

/** Upper-case hex, as GnuPG prints fingerprints and key IDs. */
export function hexUpper(data: Uint8Array): string {
  const out = new Uint8Array(data.length * 2);
  for (let i = 0; i < data.length; i++) {
    const b = unchecked(data[i]);
    unchecked((out[i * 2] = <u8>HEX_UPPER.charCodeAt(b >> 4)));
    unchecked((out[i * 2 + 1] = <u8>HEX_UPPER.charCodeAt(b & 15)));
  }
  return String.UTF8.decodeUnsafe(out.dataStart, <usize>out.length);
}
