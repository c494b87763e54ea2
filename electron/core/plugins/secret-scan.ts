// Finds a stored secret in plugin output, however it was encoded, so the
// output can be withheld. Short values would match by accident and are skipped.

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

/** The encodings a leaked secret is searched for in. */
export function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  return [
    secret,
    JSON.stringify(secret).slice(1, -1),
    bytes.toString('hex'),
    ...base64Forms(bytes),
  ];
}

/** True when `output` contains any of `secrets` raw, JSON-escaped, as hex (any case) or base64 (any alignment). */
export function containsSecret(output: string, secrets: readonly string[]): boolean {
  const lower = output.toLowerCase();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    const [raw, escaped, hex, ...base64] = secretForms(secret);
    if (
      output.includes(raw as string) ||
      output.includes(escaped as string) ||
      lower.includes(hex as string)
    )
      return true;
    if (base64.some((form) => output.includes(form))) return true;
  }
  return false;
}
