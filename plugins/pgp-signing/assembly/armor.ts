// ASCII armor (RFC 4880 6): -----BEGIN PGP <KIND>-----, optional "Key: value"
// headers, a blank line, base64 lines, an optional "=XXXX" CRC-24 line, and
// -----END PGP <KIND>-----. Also the lenient base64 used for parameters
// (whitespace and line breaks allowed).

import { Base64 } from '../../sdk/assembly';
import { fail } from './errors';

const CRC24_INIT: u32 = 0xb704ce;
const CRC24_POLY: u32 = 0x1864cfb;

export function crc24(data: Uint8Array): u32 {
  let crc = CRC24_INIT;
  for (let i = 0; i < data.length; i++) {
    crc ^= (<u32>unchecked(data[i])) << 16;
    for (let bit = 0; bit < 8; bit++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= CRC24_POLY;
    }
  }
  return crc & 0xffffff;
}

function base64Digit(c: i32): i32 {
  if (c >= 0x41 && c <= 0x5a) return c - 0x41;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 26;
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 52;
  if (c == 0x2b || c == 0x2d) return 62;
  if (c == 0x2f || c == 0x5f) return 63;
  return -1;
}

function isSpace(c: i32): bool {
  return c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d;
}

/**
 * Base64 of text[start, end), skipping whitespace; padding only at the end.
 * Null (no failure recorded) when it is not base64.
 */
export function decodeBase64Lenient(
  text: string,
  start: i32 = 0,
  end: i32 = -1,
): Uint8Array | null {
  if (end < 0) end = text.length;
  const out = new Uint8Array(((end - start) * 3) / 4 + 3);
  let o = 0;
  let buffer: u32 = 0;
  let bits = 0;
  let digits = 0;
  let padding = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) continue;
    if (c == 0x3d) {
      padding++;
      continue;
    }
    if (padding > 0) return null; // data after padding
    const digit = base64Digit(c);
    if (digit < 0) return null;
    digits++;
    buffer = (buffer << 6) | (<u32>digit);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      unchecked((out[o++] = <u8>(buffer >> bits)));
    }
  }
  if (digits % 4 == 1 || padding > 2) return null;
  if (padding > 0 && (digits + padding) % 4 != 0) return null;
  return out.subarray(0, o);
}

export class Armored {
  kind: string = '';
  data: Uint8Array = new Uint8Array(0);
}

/** Where the line starting at `start` ends: its line break, or the end of the text. */
export function lineEnd(text: string, start: i32): i32 {
  const newline = text.indexOf('\n', start);
  return newline < 0 ? text.length : newline;
}

/** `end` moved back over trailing whitespace, line breaks included, not past `start`. */
export function trimmedEnd(text: string, start: i32, end: i32): i32 {
  while (end > start) {
    const c = text.charCodeAt(end - 1);
    if (c != 0x20 && c != 0x09 && c != 0x0d && c != 0x0a) break;
    end--;
  }
  return end;
}

/** The offset of the first line that starts with `prefix` at or after `from`, or -1. */
export function findLine(text: string, prefix: string, from: i32): i32 {
  let at = from;
  while (at < text.length) {
    const found = text.indexOf(prefix, at);
    if (found < 0) return -1;
    if (found == 0 || text.charCodeAt(found - 1) == 0x0a) return found;
    at = found + 1;
  }
  return -1;
}

/**
 * The first armored block in `text` at or after `from`. `what` names it in
 * errors ("signature", "key"). Checks the CRC-24 when there is one.
 */
export function dearmor(text: string, what: string, from: i32 = 0): Armored | null {
  const begin = findLine(text, '-----BEGIN PGP ', from);
  if (begin < 0) {
    fail('the ' + what + ' is not ASCII-armored (no -----BEGIN PGP … line)');
    return null;
  }
  const beginStop = lineEnd(text, begin);
  const first = text.substring(begin, trimmedEnd(text, begin, beginStop));
  if (!first.endsWith('-----') || first.length <= 20) {
    fail('the ' + what + "'s armor has a malformed BEGIN line");
    return null;
  }
  const armored = new Armored();
  armored.kind = first.substring(15, first.length - 5);
  let at = beginStop + 1;

  // Headers: "Key: value" lines up to a blank line. Some writers leave the
  // blank line out when there are no headers; then the data starts at once.
  let sawHeader = false;
  while (at < text.length) {
    const lineStop = lineEnd(text, at);
    const stop = trimmedEnd(text, at, lineStop);
    if (stop == at) {
      at = lineStop + 1;
      break;
    }
    const line = text.substring(at, stop);
    const colon = line.indexOf(': ');
    if (colon <= 0 || line.startsWith('-----')) {
      if (sawHeader) {
        fail('the ' + what + "'s armor headers are not followed by a blank line");
        return null;
      }
      break;
    }
    sawHeader = true;
    at = lineStop + 1;
  }

  const endLine = '-----END PGP ' + armored.kind + '-----';
  const endAt = findLine(text, '-----END PGP ', at);
  if (endAt < 0) {
    fail('the ' + what + "'s armor has no END line");
    return null;
  }
  const endStop = trimmedEnd(text, endAt, lineEnd(text, endAt));
  if (text.substring(endAt, endStop) != endLine) {
    fail('the ' + what + "'s armor END line does not match its BEGIN line");
    return null;
  }

  // The body up to the END line; a last line "=XXXX" is the CRC-24.
  let bodyEnd = endAt;
  let crcText = '';
  const lastStart = text.lastIndexOf('\n', endAt - 2) + 1;
  if (lastStart >= at && lastStart < endAt) {
    const lastStop = trimmedEnd(text, lastStart, endAt);
    const last = text.substring(lastStart, lastStop);
    if (last.length == 5 && last.charCodeAt(0) == 0x3d) {
      crcText = last.substring(1);
      bodyEnd = lastStart;
    }
  }
  const data = decodeBase64Lenient(text, at, bodyEnd);
  if (data == null) {
    fail('the ' + what + "'s armor is not valid base64");
    return null;
  }
  if (data.length == 0) {
    fail('the ' + what + "'s armor is empty");
    return null;
  }
  if (crcText.length > 0) {
    const crc = decodeBase64Lenient(crcText);
    if (crc == null || crc.length != 3) {
      fail('the ' + what + "'s armor checksum line is malformed");
      return null;
    }
    const expected = ((<u32>crc[0]) << 16) | ((<u32>crc[1]) << 8) | (<u32>crc[2]);
    if (expected != crc24(data)) {
      fail('the ' + what + "'s armor checksum (CRC-24) does not match: it was changed or damaged");
      return null;
    }
  }
  armored.data = data;
  return armored;
}

/** Armors `data` as "PGP <kind>", 64 characters a line, with its CRC-24; ends in a newline. */
export function armor(kind: string, data: Uint8Array): string {
  const body = Base64.encode(data);
  const crc = crc24(data);
  const crcBytes = new Uint8Array(3);
  crcBytes[0] = <u8>(crc >> 16);
  crcBytes[1] = <u8>(crc >> 8);
  crcBytes[2] = <u8>crc;
  const parts: string[] = ['-----BEGIN PGP ', kind, '-----\n\n'];
  for (let i = 0; i < body.length; i += 64) {
    parts.push(body.substring(i, i + 64));
    parts.push('\n');
  }
  parts.push('=');
  parts.push(Base64.encode(crcBytes));
  parts.push('\n-----END PGP ');
  parts.push(kind);
  parts.push('-----\n');
  return parts.join('');
}
