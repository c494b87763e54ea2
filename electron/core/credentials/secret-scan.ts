// The spellings a secret can leak in, in one place: main uses them to find a
// stored secret in output and withhold it; the plugin host, to scrub log lines.
// A long secret is looked for anywhere, raw, hex or base64. A short one would
// match by accident inside ordinary text ("ab12z" inside "xab12zebra"), so it
// counts only as a whole token: bounded by characters that are not letters or
// digits, or by the ends; and also as a whole token inside the bytes any base64
// or hex run of the output decodes to (a reflected "Basic dXNlcjphYjEyeg==").

/** Secrets shorter than this are matched as whole tokens only. */
export const MIN_SUBSTRING_SECRET_LENGTH = 6;
/**
 * Short secrets at least this long are also looked for inside decoded base64
 * and hex runs; shorter ones would turn up by chance in the decoded bytes.
 */
const MIN_DECODED_SECRET_LENGTH = 4;

/** One spelling of a stored secret to look for in output. */
export interface SecretForm {
  readonly text: string;
  /** 'anywhere': found as any substring; 'token': only as a whole token (see above). */
  readonly match: 'anywhere' | 'token';
}

/**
 * Base64 of the secret at each of the three byte alignments it can have
 * inside a longer encoded text, trimmed to the characters that depend on the
 * secret alone: so a secret embedded in other data is found too.
 */
function base64Forms(bytes: Buffer): string[] {
  const forms: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const start = Math.ceil((shift * 8) / 6);
    const end = Math.floor(((shift + bytes.length) * 8) / 6);
    const core = encoded.slice(start, end);
    forms.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}

/**
 * Every spelling of a secret: raw, JSON-escaped, hex in both cases, base64 and
 * base64url whole (padded or not) and at each alignment inside longer data;
 * and, when the value is itself hex or base64, the same for the bytes it holds.
 */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret, jsonEscaped(secret)]);
  const addBytes = (bytes: Buffer) => {
    if (bytes.length === 0) return;
    const hex = bytes.toString('hex');
    const base64 = bytes.toString('base64');
    for (const form of [
      hex,
      hex.toUpperCase(),
      base64,
      base64.replace(/=+$/, ''),
      bytes.toString('base64url'),
    ])
      forms.add(form);
    for (const form of base64Forms(bytes)) forms.add(form);
  };
  addBytes(Buffer.from(secret, 'utf8'));
  if (/^(?:[0-9a-fA-F]{2}){4,}$/.test(secret)) addBytes(Buffer.from(secret, 'hex'));
  if (secret.length >= 8 && /^[A-Za-z0-9+/_-]+={0,2}$/.test(secret))
    addBytes(Buffer.from(secret.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
  return [...forms].filter((form) => form.length > 0);
}

function jsonEscaped(secret: string): string {
  return JSON.stringify(secret).slice(1, -1);
}

/** True when `output` contains any of `secrets` in any spelling scannableForms gives. */
export function containsSecret(output: string, secrets: readonly string[]): boolean {
  return containsSecretForm(output, secrets.flatMap(scannableForms));
}

/**
 * The forms of one secret worth looking for: every spelling of a long one
 * anywhere; a short one raw or JSON-escaped as a whole token. Nothing for an
 * empty value.
 */
export function scannableForms(secret: string): SecretForm[] {
  if (secret.length === 0) return [];
  if (secret.length >= MIN_SUBSTRING_SECRET_LENGTH)
    return secretForms(secret).map((text) => ({ text, match: 'anywhere' }));
  return [...new Set([secret, jsonEscaped(secret)])].map((text) => ({ text, match: 'token' }));
}

const HEX = /^[0-9a-f]+$/;

/** As containsSecret, with the forms worked out beforehand (they cost more than the search). */
export function containsSecretForm(output: string, forms: readonly SecretForm[]): boolean {
  let lower: string | undefined;
  let decoded: string[] | undefined;
  for (const { text, match } of forms) {
    if (match === 'anywhere') {
      if (output.includes(text)) return true;
      if (HEX.test(text) && (lower ??= output.toLowerCase()).includes(text)) return true;
      continue;
    }
    if (containsToken(output, text)) return true;
    if (text.length < MIN_DECODED_SECRET_LENGTH) continue;
    decoded ??= decodedRuns(output);
    if (decoded.some((bytes) => containsToken(bytes, text))) return true;
  }
  return false;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** The code point ending just before `index`, or '' at the start. */
function charBefore(text: string, index: number): string {
  if (index <= 0) return '';
  const low = text.charCodeAt(index - 1);
  const pair = low >= 0xdc00 && low <= 0xdfff && index >= 2;
  return pair ? text.slice(index - 2, index) : text.slice(index - 1, index);
}

/** The code point starting at `index`, or '' at the end. */
function charAt(text: string, index: number): string {
  const point = text.codePointAt(index);
  return point === undefined ? '' : String.fromCodePoint(point);
}

/**
 * True when `token` occurs in `text` with no letter or digit joined to it: the
 * characters on each side are not letters or digits (or are the ends). An edge
 * of the token that is itself not a letter or digit needs no boundary there.
 */
export function containsToken(text: string, token: string): boolean {
  const first = charAt(token, 0);
  const last = charBefore(token, token.length);
  const openStart = !WORD_CHAR.test(first);
  const openEnd = !WORD_CHAR.test(last);
  for (let at = text.indexOf(token); at !== -1; at = text.indexOf(token, at + 1)) {
    const startOk = openStart || !WORD_CHAR.test(charBefore(text, at));
    const endOk = openEnd || !WORD_CHAR.test(charAt(text, at + token.length));
    if (startOk && endOk) return true;
  }
  return false;
}

/** Runs of base64 (either alphabet) or hex long enough to hold a short secret. */
const ENCODED_RUN = /[A-Za-z0-9+/_-]{6,}={0,2}/g;

/** What each base64 or hex run of the output decodes to, as text. */
function decodedRuns(output: string): string[] {
  const texts: string[] = [];
  for (const [run] of output.matchAll(ENCODED_RUN)) {
    texts.push(Buffer.from(run.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'));
    if (/^(?:[0-9a-fA-F]{2})+$/.test(run)) texts.push(Buffer.from(run, 'hex').toString('utf8'));
  }
  return texts;
}
