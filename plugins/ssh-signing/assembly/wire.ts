// The SSH wire encoding (RFC 4251 section 5): uint32 big-endian, string (a
// uint32 length, then the bytes) and mpint (a string holding a two's
// complement big-endian integer with no needless leading octets). The reader
// checks every length against what is left, so a damaged key file is an
// error, never a read past its end.

import { fail } from './errors';

export class WireWriter {
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

  u32(value: u32): WireWriter {
    this.reserve(4);
    store<u32>(this.buffer.dataStart + <usize>this.length, bswap<u32>(value));
    this.length += 4;
    return this;
  }

  raw(data: Uint8Array): WireWriter {
    this.reserve(data.length);
    memory.copy(this.buffer.dataStart + <usize>this.length, data.dataStart, <usize>data.length);
    this.length += data.length;
    return this;
  }

  string(data: Uint8Array): WireWriter {
    return this.u32(<u32>data.length).raw(data);
  }

  text(value: string): WireWriter {
    return this.string(Uint8Array.wrap(String.UTF8.encode(value)));
  }

  /** A non-negative integer given as unsigned big-endian bytes. */
  mpint(unsigned: Uint8Array): WireWriter {
    let start = 0;
    while (start < unsigned.length && unsigned[start] == 0) start++;
    const digits = unsigned.subarray(start);
    if (digits.length == 0) return this.u32(0);
    const pad = (digits[0] & 0x80) != 0 ? 1 : 0;
    this.u32(<u32>(digits.length + pad));
    if (pad) this.raw(new Uint8Array(1));
    return this.raw(digits);
  }

  /** A copy of what was written. */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

export class WireReader {
  offset: i32 = 0;

  constructor(
    public data: Uint8Array,
    /** What is being read, for the error message: "the key file", "the private section". */
    public what: string,
  ) {}

  get remaining(): i32 {
    return this.data.length - this.offset;
  }

  private short(): void {
    fail(this.what + ' is cut short or damaged');
  }

  /** -1 when it does not fit (the failure is recorded); lengths never reach 2^31 here. */
  u32(): i64 {
    if (this.remaining < 4) {
      this.short();
      return -1;
    }
    const value = bswap<u32>(load<u32>(this.data.dataStart + <usize>this.offset));
    this.offset += 4;
    return <i64>value;
  }

  string(): Uint8Array | null {
    const length = this.u32();
    if (length < 0) return null;
    if (length > <i64>this.remaining) {
      this.short();
      return null;
    }
    const value = this.data.subarray(this.offset, this.offset + <i32>length);
    this.offset += <i32>length;
    return value;
  }

  text(): string | null {
    const value = this.string();
    return value != null
      ? String.UTF8.decode(value.buffer.slice(value.byteOffset, value.byteOffset + value.length))
      : null;
  }

  /** A non-negative mpint as unsigned big-endian bytes; a negative one is refused. */
  mpint(): Uint8Array | null {
    const value = this.string();
    if (value == null) return null;
    if (value.length > 0 && (value[0] & 0x80) != 0) {
      fail(this.what + ' holds a negative number where a key number belongs');
      return null;
    }
    let start = 0;
    while (start < value.length && value[start] == 0) start++;
    return value.subarray(start);
  }
}

export function sameBytes(a: Uint8Array, b: Uint8Array): bool {
  if (a.length != b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i] ^ b[i];
  return difference == 0;
}

/** Overwrites bytes that held key material or a passphrase. */
export function wipe(data: Uint8Array): void {
  memory.fill(data.dataStart, 0, <usize>data.length);
}

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
