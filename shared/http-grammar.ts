// What an HTTP/1.1 header can carry (RFC 9110). Node's client throws
// synchronously on anything else; we check first so a refusal names the header,
// and a credential's field refuses such characters when it is saved.

/** RFC 9110 §5.6.2 token (tchar): every header name. */
export const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

// RFC 9110 §5.5 field-value: visible ASCII, space and tab, and obs-text
// (%x80-FF, which Node sends as Latin-1 bytes). Controls, DEL, and every
// character above U+00FF (€, a zero-width space) cannot be carried.
const NOT_TOKEN = /[^!#$%&'*+\-.^_`|~0-9A-Za-z]/u;
const NOT_FIELD_VALUE = /[^\t\x20-\x7e\x80-\xff]/u;

/** The first character of a header name outside the token grammar (undefined for an empty name). */
export function firstNonTokenCharacter(name: string): string | undefined {
  return NOT_TOKEN.exec(name)?.[0];
}

/** The first character (a whole code point) a header value cannot carry, if any. */
export function firstNonFieldValueCharacter(value: string): string | undefined {
  return NOT_FIELD_VALUE.exec(value)?.[0];
}
