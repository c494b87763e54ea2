// Removes a call's credential values from text a plugin wants to send out of
// the host (log lines, error messages). Each string value is looked for in
// every spelling main's secret scan knows (secretForms: raw, JSON-escaped,
// hex, base64 at any alignment, and the bytes a hex or base64 value holds).
// Any run of FRAGMENT or more characters taken from one of those forms is
// removed too, so a value cannot leave in pieces that long. Values shorter than MIN_VALUE characters
// are left alone: scrubbing "us" or "42" would destroy every line and protect
// nothing a secret field holds.

import { secretForms } from '../../core/credentials/secret-scan';

export const REDACTED = '[redacted]';
export const MIN_VALUE = 4;
export const FRAGMENT = 8;
/** Bounds the work for a huge credential (an armored key is a few KB). */
const MAX_WINDOWS = 400_000;

export type Scrubber = (text: string, truncated?: boolean) => string;

function variants(value: string): string[] {
  return secretForms(value).filter((v) => v.length >= MIN_VALUE);
}

/** String values anywhere inside a credential object. */
export function credentialStrings(credential: unknown): string[] {
  const out: string[] = [];
  const walk = (value: unknown, depth: number) => {
    if (typeof value === 'string') out.push(value);
    else if (value && typeof value === 'object' && depth < 8)
      for (const inner of Object.values(value)) walk(inner, depth + 1);
  };
  walk(credential, 0);
  return out;
}

export function createScrubber(values: readonly string[]): Scrubber {
  const forms = [...new Set(values.filter((v) => v.length >= MIN_VALUE).flatMap(variants))];
  if (forms.length === 0) return (text) => text;
  let windows: Set<string> | undefined;
  const windowSet = () => {
    if (windows) return windows;
    windows = new Set();
    for (const form of forms)
      for (let i = 0; i + FRAGMENT <= form.length && windows.size < MAX_WINDOWS; i++)
        windows.add(form.slice(i, i + FRAGMENT));
    return windows;
  };

  return (text, truncated = false) => {
    if (text.length === 0) return text;
    const marked = new Uint8Array(text.length);
    const mark = (from: number, to: number) =>
      marked.fill(1, Math.max(0, from), Math.min(text.length, to));
    for (const form of forms)
      for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1))
        mark(at, at + form.length);
    const set = windowSet();
    for (let i = 0; i + FRAGMENT <= text.length; i++)
      if (set.has(text.slice(i, i + FRAGMENT))) mark(i, i + FRAGMENT);
    if (truncated) {
      // The cut may have left the start of a value at the very end.
      for (const form of forms)
        for (let k = Math.min(form.length - 1, FRAGMENT - 1, text.length); k >= 1; k--)
          if (text.endsWith(form.slice(0, k))) {
            mark(text.length - k, text.length);
            break;
          }
    }
    let out = '';
    for (let i = 0; i < text.length;) {
      if (marked[i]) {
        out += REDACTED;
        while (i < text.length && marked[i]) i++;
      } else {
        let j = i;
        while (j < text.length && !marked[j]) j++;
        out += text.slice(i, j);
        i = j;
      }
    }
    return out;
  };
}
