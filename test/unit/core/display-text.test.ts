import { describe, expect, it } from 'vitest';
import {
  capCodePoints,
  cleanLine,
  stripInvisible,
  VISIBLE_ONLY,
} from '../../../shared/display-text';

// The one list of characters that can hide or disguise text, used by tool
// listings, the tray, the audit log and credential names.

const HIDDEN = [
  '\u0000',
  '\u001b',
  '\u200b',
  '\u202e',
  '\u2066',
  '\u00ad',
  '\u2028',
  '\ufe0f',
  '\u{e0041}',
  '\u115f',
  '\ud800',
];

describe('display text', () => {
  it('strips every kind of hidden character', () => {
    for (const char of HIDDEN) expect(stripInvisible(`a${char}b`), JSON.stringify(char)).toBe('ab');
    expect(stripInvisible('Übersetzen 😀')).toBe('Übersetzen 😀');
  });

  it('refuses the same characters in validation and accepts ordinary text', () => {
    for (const char of HIDDEN)
      expect(VISIBLE_ONLY.test(`a${char}b`), JSON.stringify(char)).toBe(false);
    expect(VISIBLE_ONLY.test('Work key — Bob’s 😀')).toBe(true);
  });

  it('caps by code points with an ellipsis inside the cap, never splitting one', () => {
    expect(capCodePoints('😀'.repeat(5), 3)).toBe('😀😀…');
    expect(capCodePoints('abc', 3)).toBe('abc');
  });

  it('makes one line: breaks become spaces, spaces fold, trimmed', () => {
    expect(cleanLine(' Sign\u200b this\n\ttext\u2028now ', 100)).toBe('Sign this text now');
  });
});
