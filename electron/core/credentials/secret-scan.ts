// The spellings a secret can leak in, in one place: main uses them to find a
// stored secret in output and withhold it; the plugin host, to scrub log lines.
// Short values would match by accident and are skipped.

const MIN_SECRET_LENGTH = 6;

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
  const forms = new Set<string>([secret, JSON.stringify(secret).slice(1, -1)]);
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

const HEX = /^[0-9a-f]+$/;

/** True when `output` contains any of `secrets` in any spelling of secretForms (hex in any case). */
export function containsSecret(output: string, secrets: readonly string[]): boolean {
  return containsSecretForm(output, secrets.flatMap(scannableForms));
}

/** The forms of one secret worth looking for: none for a value too short to tell from chance. */
export function scannableForms(secret: string): string[] {
  return secret.length < MIN_SECRET_LENGTH ? [] : secretForms(secret);
}

/** As containsSecret, with the forms worked out beforehand (they cost more than the search). */
export function containsSecretForm(output: string, forms: readonly string[]): boolean {
  let lower: string | undefined;
  for (const form of forms) {
    if (output.includes(form)) return true;
    if (HEX.test(form) && (lower ??= output.toLowerCase()).includes(form)) return true;
  }
  return false;
}
