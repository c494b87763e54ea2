import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The ssh-signing plugin's bcrypt_pbkdf starts Blowfish from a table of 1042
// words typed into its source. Blowfish defines them as the fractional
// hexadecimal digits of pi, so they are recomputed here (Machin's formula on
// BigInt) and compared word for word: one wrong digit would make every
// protected key "a wrong passphrase".

const TABLE = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'plugins',
  'ssh-signing',
  'assembly',
  'blowfish-tables.ts',
);

function piFractionWords(count: number): number[] {
  const bits = BigInt(count * 32 + 128);
  const one = 1n << bits;
  const arctanInverse = (x: bigint): bigint => {
    let sum = 0n;
    let term = one / x;
    let n = 1n;
    let sign = 1n;
    while (term !== 0n) {
      sum += (sign * term) / n;
      term /= x * x;
      n += 2n;
      sign = -sign;
    }
    return sum;
  };
  let fraction = 16n * arctanInverse(5n) - 4n * arctanInverse(239n) - 3n * one;
  const words: number[] = [];
  for (let i = 0; i < count; i++) {
    fraction <<= 32n;
    words.push(Number(fraction >> bits));
    fraction &= one - 1n;
  }
  return words;
}

describe("the ssh-signing plugin's Blowfish table", () => {
  it('is P (18 words) and the four S-boxes (1024 words): the hex digits of pi', () => {
    const source = readFileSync(TABLE, 'utf8');
    const words = [...source.matchAll(/0x([0-9a-f]{8})/g)].map((m) => parseInt(m[1] ?? '', 16));
    expect(words).toHaveLength(18 + 4 * 256);
    const pi = piFractionWords(words.length);
    // Spot values any Blowfish reference lists: P[0], P[17], S0[0], S3[255].
    expect([pi[0], pi[17], pi[18], pi[1041]]).toEqual([
      0x243f6a88, 0x8979fb1b, 0xd1310ba6, 0x3ac372e6,
    ]);
    expect(words).toEqual(pi);
  });
});
