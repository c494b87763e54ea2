// The cleartext signature framework (RFC 4880 7): the text as it is shown,
// dash-escaped, and the canonical form that is hashed: each line without
// trailing spaces and tabs, lines joined by CR LF, no line break at the end.

import { utf8 } from '../../sdk/assembly';
import { Armored, dearmor, findLine, lineEnd, trimmedEnd } from './armor';

export class ClearText {
  /** The dash-escaped lines as written in the message. */
  shown: string = '';
  /** The canonical UTF-8 bytes the signature covers. */
  canonical: Uint8Array = new Uint8Array(0);
}

function trimTrailing(line: string): string {
  let end = line.length;
  while (end > 0) {
    const c = line.charCodeAt(end - 1);
    if (c != 0x20 && c != 0x09 && c != 0x0d) break;
    end--;
  }
  return end == line.length ? line : line.substring(0, end);
}

/**
 * A text to sign. Its final line break (if any) belongs to the framework, as
 * with gpg --clearsign: "a\n" and "a" sign the same canonical text "a".
 */
export function prepareClearText(text: string): ClearText {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1].length == 0) lines.pop();
  const shown: string[] = [];
  const canonical: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (line.endsWith('\r')) line = line.substring(0, line.length - 1);
    shown.push(line.startsWith('-') ? '- ' + line : line);
    canonical.push(trimTrailing(line));
  }
  const result = new ClearText();
  result.shown = shown.join('\n');
  result.canonical = utf8(canonical.join('\r\n'));
  return result;
}

/** Binary data with every line ending made CR LF (a text signature, type 0x01, over data). */
export function canonicalLineEndings(data: Uint8Array): Uint8Array {
  let extra = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] == 0x0a && (i == 0 || data[i - 1] != 0x0d)) extra++;
  }
  if (extra == 0) return data;
  const out = new Uint8Array(data.length + extra);
  let o = 0;
  for (let i = 0; i < data.length; i++) {
    const c = data[i];
    if (c == 0x0a && (i == 0 || data[i - 1] != 0x0d)) out[o++] = 0x0d;
    out[o++] = c;
  }
  return out;
}

export class ParsedClearText {
  /** "" when well formed, else why not. */
  problem: string = '';
  hashHeaders: string[] = [];
  canonical: Uint8Array = new Uint8Array(0);
  signature: Armored | null = null;
}

const BEGIN = '-----BEGIN PGP SIGNED MESSAGE-----';
const SIGNATURE = '-----BEGIN PGP SIGNATURE-----';

export function parseClearText(message: string): ParsedClearText {
  const parsed = new ParsedClearText();
  const begin = findLine(message, BEGIN, 0);
  if (begin < 0) {
    parsed.problem = 'the message is not a cleartext-signed message (no ' + BEGIN + ' line)';
    return parsed;
  }
  let at = lineEnd(message, begin) + 1;
  if (message.substring(begin, trimmedEnd(message, begin, at - 1)) != BEGIN) {
    parsed.problem = 'the message has a malformed ' + BEGIN + ' line';
    return parsed;
  }
  // Armor headers ("Hash: SHA256") up to a blank line.
  while (true) {
    if (at >= message.length) {
      parsed.problem = 'the message ends inside its headers';
      return parsed;
    }
    const stop = lineEnd(message, at);
    const line = message.substring(at, trimmedEnd(message, at, stop));
    at = stop + 1;
    if (line.length == 0) break;
    if (line.startsWith('Hash: ')) {
      const names = line.substring(6).split(',');
      for (let i = 0; i < names.length; i++) parsed.hashHeaders.push(names[i].trim().toUpperCase());
    } else if (line.indexOf(': ') < 0) {
      parsed.problem = 'the message has a malformed armor header';
      return parsed;
    }
  }
  const sigStart = findLine(message, SIGNATURE, at);
  if (sigStart < 0) {
    parsed.problem = 'the message has no ' + SIGNATURE + ' block';
    return parsed;
  }
  // The text: every line up to the one before the signature; the line break
  // before -----BEGIN PGP SIGNATURE----- is not part of it.
  const lines = message.substring(at, sigStart > at ? sigStart - 1 : at).split('\n');
  const canonical: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (line.startsWith('- ')) line = line.substring(2);
    else if (line.startsWith('-')) {
      parsed.problem = 'a line of the message starts with "-" but is not dash-escaped';
      return parsed;
    }
    canonical.push(trimTrailing(line));
  }
  parsed.canonical = utf8(canonical.join('\r\n'));
  parsed.signature = dearmor(message, 'signature', sigStart);
  return parsed;
}
