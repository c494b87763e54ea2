// Text that plugins (or stored metadata) put in front of an agent: control and
// invisible characters are removed so a tool list cannot hide instructions in
// zero-width, bidi or tag characters, and lengths are capped.

export const TOOL_NAME_MAX = 64;
export const TOOL_DESCRIPTION_MAX = 1000;

// Cc (controls), Cf (format: bidi controls, zero-width characters, tag
// characters U+E0000-E007F, soft hyphen...), line and paragraph separators,
// unpaired surrogates, and variation selectors.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u{FE00}-\u{FE0F}\u{E0100}-\u{E01EF}]/gu;

/** Removes control and invisible characters (line breaks and tabs become spaces) and caps the length in code points. */
export function cleanText(text: string, max: number): string {
  const cleaned = text
    .replace(/[\t\n\r]+/g, ' ')
    .replace(INVISIBLE, '')
    .replace(/ {2,}/g, ' ')
    .trim();
  const points = [...cleaned];
  return points.length > max ? `${points.slice(0, max - 1).join('')}…` : cleaned;
}

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
