// Blowfish as bcrypt uses it (OpenBSD's blf.c): the state, Eksblowfish's
// expand steps, and encryption of word pairs. Nothing else of Blowfish is
// needed: bcrypt_pbkdf only ever encrypts.

import { BLOWFISH_INIT } from './blowfish-tables';

const WORDS: i32 = 18 + 4 * 256;
const S: i32 = 18;

export class Blowfish {
  /** P (18 words) then S-boxes 0..3 (256 words each), as BLOWFISH_INIT lays them out. */
  state: StaticArray<u32> = new StaticArray<u32>(WORDS);
  left: u32 = 0;
  right: u32 = 0;

  constructor() {
    memory.copy(
      changetype<usize>(this.state),
      changetype<usize>(BLOWFISH_INIT),
      (<usize>WORDS) << 2,
    );
  }

  @inline
  private f(x: u32): u32 {
    const s = changetype<usize>(this.state) + ((<usize>S) << 2);
    const a = load<u32>(s + ((<usize>(x >>> 24)) << 2));
    const b = load<u32>(s + ((256 + <usize>((x >>> 16) & 0xff)) << 2));
    const c = load<u32>(s + ((512 + <usize>((x >>> 8) & 0xff)) << 2));
    const d = load<u32>(s + ((768 + <usize>(x & 0xff)) << 2));
    return ((a + b) ^ c) + d;
  }

  /** Encrypts (left, right) in place. */
  encipher(): void {
    const p = changetype<usize>(this.state);
    let xl = this.left ^ load<u32>(p);
    let xr = this.right;
    for (let i: usize = 1; i <= 16; i += 2) {
      xr ^= this.f(xl) ^ load<u32>(p + (i << 2));
      xl ^= this.f(xr) ^ load<u32>(p + ((i + 1) << 2));
    }
    this.left = xr ^ load<u32>(p + (17 << 2));
    this.right = xl;
  }

  /** Eksblowfish's ExpandKey(state, salt, key). */
  expand(data: Uint8Array, key: Uint8Array): void {
    const words = new WordStream(key);
    for (let i = 0; i < 18; i++) unchecked((this.state[i] ^= words.next()));
    const salt = new WordStream(data);
    this.left = 0;
    this.right = 0;
    for (let i = 0; i < WORDS; i += 2) {
      this.left ^= salt.next();
      this.right ^= salt.next();
      this.encipher();
      unchecked((this.state[i] = this.left));
      unchecked((this.state[i + 1] = this.right));
    }
  }

  /** Eksblowfish's ExpandKey(state, 0, key). */
  expand0(key: Uint8Array): void {
    const words = new WordStream(key);
    for (let i = 0; i < 18; i++) unchecked((this.state[i] ^= words.next()));
    this.left = 0;
    this.right = 0;
    for (let i = 0; i < WORDS; i += 2) {
      this.encipher();
      unchecked((this.state[i] = this.left));
      unchecked((this.state[i + 1] = this.right));
    }
  }
}

/** Big-endian 32-bit words from bytes, cycling back to the start (blf.c's stream2word). */
class WordStream {
  at: i32 = 0;
  constructor(public bytes: Uint8Array) {}

  next(): u32 {
    let word: u32 = 0;
    for (let i = 0; i < 4; i++) {
      if (this.at >= this.bytes.length) this.at = 0;
      word = (word << 8) | (<u32>unchecked(this.bytes[this.at++]));
    }
    return word;
  }
}
