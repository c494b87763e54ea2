// RFC 4648 base32, read as people copy setup keys: spaces, hyphens and lower
// case are ignored, padding is optional.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Why the last decode returned null. */
export let base32Error: string = '';

/** The bytes of a base32 text, or null (see base32Error). */
export function decodeBase32(text: string): Uint8Array | null {
  const out = new Array<u8>();
  let buffer: u32 = 0;
  let bits: i32 = 0;
  let padding = false;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c == 0x20 || c == 0x2d || c == 0x09) continue; // space, hyphen, tab
    if (c == 0x3d) {
      padding = true;
      continue;
    }
    if (c >= 0x61 && c <= 0x7a) c -= 0x20; // lower case
    const value = ALPHABET.indexOf(String.fromCharCode(c));
    if (value < 0 || padding) {
      base32Error = padding
        ? 'has characters after its "=" padding'
        : 'is not base32: it may hold only the letters A to Z and the digits 2 to 7';
      return null;
    }
    digits++;
    buffer = (buffer << 5) | (<u32>value);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push(<u8>((buffer >> (<u32>bits)) & 0xff));
    }
  }
  if (digits == 0) {
    base32Error = 'is empty';
    return null;
  }
  const bytes = new Uint8Array(out.length);
  for (let i = 0; i < out.length; i++) bytes[i] = out[i];
  return bytes;
}
