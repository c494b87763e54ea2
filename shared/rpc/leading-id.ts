// The id of a message too large to parse, read from its first bytes, so the
// refusal can name the request and its caller stops waiting at once. The scan
// is bounded: only the first LEADING_ID_SCAN characters are looked at, and
// the first "id" member found there is taken (clients write it before the
// params; one that does not gets an answer with a null id, as before).

export const LEADING_ID_SCAN = 4096;

const ID = /"id"\s*:\s*(-?\d{1,16}(?![\d.eE])|"((?:[^"\\\n]|\\.){1,128})")/;

/** The id in the beginning of `text`, or null if it cannot be read there. */
export function leadingId(text: string): number | string | null {
  const match = ID.exec(text.slice(0, LEADING_ID_SCAN));
  if (!match?.[1]) return null;
  if (match[2] === undefined) {
    const id = Number(match[1]);
    return Number.isSafeInteger(id) ? id : null;
  }
  try {
    return JSON.parse(`"${match[2]}"`) as string;
  } catch {
    return null;
  }
}
