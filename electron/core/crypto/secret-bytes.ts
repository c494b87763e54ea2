import { randomFillSync } from 'node:crypto';
import { CustodianError } from '../../../shared/errors';

// Key material and decrypted secret bytes live in Buffers of their own, which
// are overwritten with zeros when they are no longer needed. Two rules make
// that work, and they live here once:
//
// - The Buffer owns its memory. Buffer.from(string), Buffer.concat and
//   Buffer.allocUnsafe hand out slices of Node's shared 8 KiB pool for small
//   sizes; the pool keeps other copies alive and is shared with unrelated data,
//   so a secret is only ever copied into Buffer.alloc / allocUnsafeSlow memory.
// - Whoever holds it wipes it: after the call that used it, or on lock.
//
// JavaScript strings cannot be overwritten at all; see README, "What is not
// defended".

/** For tests: told of every Buffer a SecretBytes holds, so a test can check it is zeroed later. */
export type SecretBytesObserver = (bytes: Buffer) => void;

/** An owned Buffer of secret bytes, overwritten with zeros by `wipe()`. */
export class SecretBytes {
  #bytes: Buffer | null;

  private constructor(bytes: Buffer, observe?: SecretBytesObserver) {
    this.#bytes = bytes;
    observe?.(bytes);
  }

  /** `length` random bytes (a key). */
  static random(length: number, observe?: SecretBytesObserver): SecretBytes {
    return new SecretBytes(randomFillSync(Buffer.alloc(length)), observe);
  }

  /** A copy of `source` in memory of its own; `source` is left as it is. */
  static copyOf(source: Uint8Array, observe?: SecretBytesObserver): SecretBytes {
    const bytes = Buffer.alloc(source.length);
    bytes.set(source);
    return new SecretBytes(bytes, observe);
  }

  /** Moves `source` into memory of its own: copies it, then zeroes `source`. */
  static take(source: Uint8Array, observe?: SecretBytesObserver): SecretBytes {
    const secret = SecretBytes.copyOf(source, observe);
    source.fill(0);
    return secret;
  }

  /** Encodes a string straight into owned memory (never through the pool). */
  static fromString(
    text: string,
    encoding: 'utf8' | 'base64',
    observe?: SecretBytesObserver,
  ): SecretBytes {
    // byteLength is exact for utf8 and at least the decoded size for base64.
    const room = Buffer.allocUnsafeSlow(Buffer.byteLength(text, encoding));
    const written = room.write(text, encoding);
    if (written === room.length) return new SecretBytes(room, observe);
    const exact = SecretBytes.copyOf(room.subarray(0, written), observe);
    room.fill(0);
    return exact;
  }

  /** The UTF-8 bytes of `parts` one after another, without first joining them into a string. */
  static joinUtf8(parts: readonly string[], observe?: SecretBytesObserver): SecretBytes {
    const bytes = Buffer.alloc(parts.reduce((sum, part) => sum + Buffer.byteLength(part), 0));
    let offset = 0;
    for (const part of parts) offset += bytes.write(part, offset, 'utf8');
    return new SecretBytes(bytes, observe);
  }

  get length(): number {
    return this.#bytes?.length ?? 0;
  }

  get wiped(): boolean {
    return this.#bytes === null;
  }

  /** Lends the bytes to `fn`; `fn` must not keep them (copy into another SecretBytes if it must). */
  use<T>(fn: (bytes: Buffer) => T): T {
    if (!this.#bytes) throw new CustodianError('internal', 'A secret was used after it was wiped.');
    return fn(this.#bytes);
  }

  /**
   * Lends the bytes to `fn`, then wipes them whether `fn` succeeded or not
   * (once its promise settles, when it returns one).
   */
  useOnce<T>(fn: (bytes: Buffer) => T): T {
    let result: T;
    try {
      result = this.use(fn);
    } catch (error) {
      this.wipe();
      throw error;
    }
    if (result instanceof Promise) return result.finally(() => this.wipe()) as T;
    this.wipe();
    return result;
  }

  /** Overwrites the bytes with zeros and forgets them. Safe to call more than once. */
  wipe(): void {
    this.#bytes?.fill(0);
    this.#bytes = null;
  }
}
