// Text that came from someone else (a plugin's tool name, an agent's client
// name, a credential name) before it is shown to a person or an agent: the
// characters that can hide or disguise text are one list, used everywhere.

// Controls (Cc), format characters (Cf: bidi overrides, zero-width, tags, soft
// hyphen), lone surrogates (Cs), line and paragraph separators, and every other
// default-ignorable code point (variation selectors, fillers).
const INVISIBLE_CLASS = String.raw`\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}`;

const INVISIBLE = new RegExp(`[${INVISIBLE_CLASS}]`, 'gu');
/** Matches text with none of those characters (for validation rules). */
export const VISIBLE_ONLY = new RegExp(`^[^${INVISIBLE_CLASS}]*$`, 'u');
/** A first character that cannot be seen between quotes: invisible or a space. */
const UNSEEN = new RegExp(`^[${INVISIBLE_CLASS}\\s]`, 'u');
const LINE_BREAKS = /[\t\n\v\f\r\u0085\p{Zl}\p{Zp}]/gu;

export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** At most `max` code points (a cut never splits one); a cut text ends in "…" within the cap. */
export function capCodePoints(text: string, max: number): string {
  const points = Array.from(text);
  return points.length > max ? `${points.slice(0, max - 1).join('')}…` : text;
}

/** One line of text: line breaks and tabs become spaces, invisible characters go, spaces fold, trimmed and capped. */
export function cleanLine(text: string, max: number): string {
  const line = stripInvisible(text.replace(LINE_BREAKS, ' ')).replace(/\s+/gu, ' ').trim();
  return capCodePoints(line, max);
}

/**
 * Text a person must see exactly (a payload to approve): line breaks and tabs
 * stay, and every other invisible character is shown as ⟨U+XXXX⟩ instead of
 * being hidden or removed, so nothing can be slipped past the person unseen.
 */
export function revealInvisible(text: string): string {
  return text.replace(INVISIBLE, (char) =>
    char === '\n' || char === '\t' ? char : `⟨${codePoint(char)}⟩`,
  );
}

/**
 * One character named for a person: `U+200B` for an invisible or space
 * character (it cannot be seen in quotes), `"€" (U+20AC)` for a visible one.
 */
export function describeCharacter(char: string): string {
  const code = codePoint(char);
  return UNSEEN.test(char) ? code : `"${char}" (${code})`;
}

/** The code point of a character's first code point, as `U+20AC`. */
export function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}
