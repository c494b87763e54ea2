// Text that plugins (or stored metadata) put in front of an agent: control and
// invisible characters are removed so a tool list cannot hide instructions in
// zero-width, bidi or tag characters, and lengths are capped.

import { cleanLine } from '../../../../shared/display-text';

export const TOOL_NAME_MAX = 64;
export const TOOL_DESCRIPTION_MAX = 1000;

/** Removes control and invisible characters (line breaks and tabs become spaces) and caps the length in code points. */
export const cleanText = cleanLine;

/** Cleans every string inside a JSON value (keys included), for schemas a plugin supplies. */
export function cleanJson(value: unknown, max = TOOL_DESCRIPTION_MAX): unknown {
  if (typeof value === 'string') return cleanText(value, max);
  if (Array.isArray(value)) return value.map((item) => cleanJson(item, max));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      out[cleanText(key, 200)] = cleanJson(item, max);
    return out;
  }
  return value;
}

/** "a" or "an" before a display name. */
export function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}
