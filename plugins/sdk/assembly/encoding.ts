// Bytes <-> text. Host functions carry binary values as base64 (standard
// alphabet, padded); plugins often need hex and UTF-8 too.

const STANDARD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const HEX = '0123456789abcdef';

/** The UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(text));
}

/** A string from UTF-8 bytes (invalid sequences become U+FFFD). */
export function fromUtf8(bytes: Uint8Array): string {
  return String.UTF8.decodeUnsafe(bytes.dataStart, bytes.length);
}

/** Text from ASCII bytes we produced ourselves. */
function ascii(bytes: Uint8Array): string {
  return String.UTF8.decodeUnsafe(bytes.dataStart, bytes.length);
}

function encodeWith(bytes: Uint8Array, alphabet: string, pad: bool): string {
  const full = bytes.length / 3;
  const rest = bytes.length % 3;
  const size = full * 4 + (rest == 0 ? 0 : pad ? 4 : rest + 1);
  const out = new Uint8Array(size);
  let o = 0;
  let i = 0;
  for (let n = 0; n < full; n++) {
    const chunk = ((<u32>bytes[i]) << 16) | ((<u32>bytes[i + 1]) << 8) | (<u32>bytes[i + 2]);
    i += 3;
    out[o++] = <u8>alphabet.charCodeAt((chunk >> 18) & 63);
    out[o++] = <u8>alphabet.charCodeAt((chunk >> 12) & 63);
    out[o++] = <u8>alphabet.charCodeAt((chunk >> 6) & 63);
    out[o++] = <u8>alphabet.charCodeAt(chunk & 63);
  }
  if (rest > 0) {
    const chunk = ((<u32>bytes[i]) << 16) | (rest == 2 ? (<u32>bytes[i + 1]) << 8 : 0);
    out[o++] = <u8>alphabet.charCodeAt((chunk >> 18) & 63);
    out[o++] = <u8>alphabet.charCodeAt((chunk >> 12) & 63);
    if (rest == 2) out[o++] = <u8>alphabet.charCodeAt((chunk >> 6) & 63);
    else if (pad) out[o++] = 0x3d;
    if (pad) out[o++] = 0x3d;
  }
  return ascii(out);
}

function base64Digit(c: i32): i32 {
  if (c >= 0x41 && c <= 0x5a) return c - 0x41;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 26;
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 52;
  if (c == 0x2b || c == 0x2d) return 62; // + or -
  if (c == 0x2f || c == 0x5f) return 63; // / or _
  return -1;
}

export class Base64 {
  /** Standard alphabet with padding: what the host functions expect. */
  static encode(bytes: Uint8Array): string {
    return encodeWith(bytes, STANDARD, true);
  }
  /** URL-safe alphabet without padding (JWTs, WebAuthn...). */
  static encodeUrl(bytes: Uint8Array): string {
    return encodeWith(bytes, URL_SAFE, false);
  }
  static encodeString(text: string): string {
    return Base64.encode(utf8(text));
  }
  /**
   * Either alphabet, padded or not; null when the text is not base64.
   * Whitespace is not accepted: the host never sends any.
   */
  static decode(text: string): Uint8Array | null {
    let end = text.length;
    while (end > 0 && text.charCodeAt(end - 1) == 0x3d) end--;
    if (text.length - end > 2 || end % 4 == 1) return null;
    if (text.length != end && text.length % 4 != 0) return null; // padding only to a full quantum
    const out = new Uint8Array((end * 3) / 4);
    let buffer: u32 = 0;
    let bits = 0;
    let o = 0;
    for (let i = 0; i < end; i++) {
      const digit = base64Digit(text.charCodeAt(i));
      if (digit < 0) return null;
      buffer = (buffer << 6) | (<u32>digit);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[o++] = <u8>(buffer >> bits);
      }
    }
    return out;
  }
  static decodeString(text: string): string | null {
    const bytes = Base64.decode(text);
    return bytes == null ? null : fromUtf8(bytes);
  }
}

export class Hex {
  /** Lower-case hex. */
  static encode(bytes: Uint8Array): string {
    const out = new Uint8Array(bytes.length * 2);
    for (let i = 0; i < bytes.length; i++) {
      out[i * 2] = <u8>HEX.charCodeAt(bytes[i] >> 4);
      out[i * 2 + 1] = <u8>HEX.charCodeAt(bytes[i] & 15);
    }
    return ascii(out);
  }
  /** Either case; null when the text is not an even number of hex digits. */
  static decode(text: string): Uint8Array | null {
    if (text.length % 2 != 0) return null;
    const out = new Uint8Array(text.length / 2);
    for (let i = 0; i < out.length; i++) {
      const high = hexDigit(text.charCodeAt(i * 2));
      const low = hexDigit(text.charCodeAt(i * 2 + 1));
      if (high < 0 || low < 0) return null;
      out[i] = <u8>((high << 4) | low);
    }
    return out;
  }
}

function hexDigit(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}
