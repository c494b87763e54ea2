// otpauth://totp/LABEL?secret=…&issuer=…&algorithm=…&digits=…&period=… (the
// Key Uri Format authenticator apps read from QR codes).

export class OtpAuth {
  secret: string = '';
  issuer: string = '';
  account: string = '';
  algorithm: string = '';
  digits: string = '';
  period: string = '';
}

/** Why the last parse returned null. */
export let otpAuthError: string = '';

export function isOtpAuthUri(text: string): bool {
  return text.trim().toLowerCase().startsWith('otpauth://');
}

function hexValue(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

/** Percent-decoding (and "+" as a space, as query strings write it), UTF-8. */
export function percentDecode(text: string, plusIsSpace: bool): string {
  const bytes = new Array<u8>();
  const raw = String.UTF8.encode(text);
  const input = Uint8Array.wrap(raw);
  for (let i = 0; i < input.length; i++) {
    const c = <i32>input[i];
    if (c == 0x25 && i + 2 < input.length) {
      const hi = hexValue(input[i + 1]);
      const lo = hexValue(input[i + 2]);
      if (hi >= 0 && lo >= 0) {
        bytes.push(<u8>((hi << 4) | lo));
        i += 2;
        continue;
      }
    }
    bytes.push(plusIsSpace && c == 0x2b ? 0x20 : <u8>c);
  }
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i];
  return String.UTF8.decodeUnsafe(out.dataStart, out.length);
}

export function parseOtpAuth(uri: string): OtpAuth | null {
  const text = uri.trim();
  const lower = text.toLowerCase();
  if (lower.startsWith('otpauth://hotp')) {
    otpAuthError =
      'is an otpauth://hotp/ URI: counter-based codes are not supported, only time-based (totp)';
    return null;
  }
  if (!lower.startsWith('otpauth://totp/') && !lower.startsWith('otpauth://totp?')) {
    otpAuthError = 'is not an otpauth://totp/ URI';
    return null;
  }
  const rest = text.slice('otpauth://totp'.length);
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  const query = q < 0 ? '' : rest.slice(q + 1);
  const result = new OtpAuth();
  let label = percentDecode(path.startsWith('/') ? path.slice(1) : path, false);
  const colon = label.indexOf(':');
  if (colon >= 0) {
    result.issuer = label.slice(0, colon).trim();
    label = label.slice(colon + 1);
  }
  result.account = label.trim();
  const pairs = query.split('&');
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i];
    if (pair.length == 0) continue;
    const eq = pair.indexOf('=');
    const name = (eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
    const value = eq < 0 ? '' : percentDecode(pair.slice(eq + 1), true);
    if (name == 'secret') result.secret = value;
    else if (name == 'issuer') result.issuer = value.trim();
    else if (name == 'algorithm') result.algorithm = value.trim().toUpperCase();
    else if (name == 'digits') result.digits = value.trim();
    else if (name == 'period') result.period = value.trim();
  }
  if (result.secret.length == 0) {
    otpAuthError = 'has no secret= parameter';
    return null;
  }
  return result;
}
