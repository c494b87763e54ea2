import { containsSecret } from '../../electron/core/credentials/secret-scan';

// What a hostile plugin got out, looked for the way an attacker would hide it:
// every string of an answer, and every hex string in it decoded, recursively
// (a plugin that returns its input, memory and host replies in hex, say).

/** Every string in the answer, and each hex string decoded (and parsed when it is JSON), recursively. */
export function hexLayers(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    out.push(value);
    if (/^(?:[0-9a-f]{2})+$/.test(value)) {
      const text = Buffer.from(value, 'hex').toString('latin1');
      out.push(text);
      try {
        hexLayers(JSON.parse(text), out);
      } catch {
        // not JSON: the text itself was kept
      }
    }
  } else if (value && typeof value === 'object')
    for (const inner of Object.values(value)) hexLayers(inner, out);
  return out;
}

const reverse = (text: string) => [...text].reverse().join('');

/**
 * Whether `secret` is in the answer at any layer, in any spelling screening
 * knows, or reversed (as it is, or as JSON escapes it inside a reversed input).
 */
export function revealed(answer: unknown, secret: string): boolean {
  const reversed = [reverse(secret), reverse(JSON.stringify(secret).slice(1, -1))];
  return hexLayers(answer).some(
    (text) => containsSecret(text, [secret]) || reversed.some((r) => text.includes(r)),
  );
}
