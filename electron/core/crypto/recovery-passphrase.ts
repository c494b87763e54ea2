import { randomBytes } from 'node:crypto';

// A recovery passphrase is 30 characters of Crockford base32 (150 random bits)
// in six groups, so it can be read aloud or typed from paper without ambiguity.

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 6;
const GROUP_LENGTH = 5;

export function generateRecoveryPassphrase(random: (n: number) => Buffer = randomBytes): string {
  const chars: string[] = [];
  // 32 symbols divide 256 evenly, so masking a byte keeps the choice uniform.
  for (const byte of random(GROUPS * GROUP_LENGTH)) chars.push(ALPHABET[byte & 31] as string);
  const groups: string[] = [];
  for (let i = 0; i < GROUPS; i++)
    groups.push(chars.slice(i * GROUP_LENGTH, (i + 1) * GROUP_LENGTH).join(''));
  return groups.join('-');
}

/** Forgives case, spaces, dashes, and the letters people confuse with digits. */
export function normalizeRecoveryPassphrase(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}
