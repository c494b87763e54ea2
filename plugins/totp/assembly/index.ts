// totp: time-based one-time passwords (RFC 6238, on RFC 4226's HOTP), the
// codes of authenticator apps. The seed is read once, when the person saves
// the credential (import_secret: a base32 setup key or an otpauth://totp/
// URI), and sealed by the host as `totp_key`; an agent's code call holds it
// only as a handle, and the host computes the HMAC.
//
// Settings an otpauth URI carries (algorithm, digits, period) are kept as the
// public values uri_algorithm, uri_digits and uri_period and win over the
// form's fields, which the form says when it shows what the import read.

import { Base64, Crypto, Json, JsonValue, Request, Response, SecretKey } from '../../sdk/assembly';
import { base32Error, decodeBase32 } from './base32';
import { isOtpAuthUri, otpAuthError, parseOtpAuth } from './otpauth';

const SEALED_KEY = 'totp_key';
/** RFC 4226 wants at least 128 bits, and services do use 80; below that is a typo. */
const MIN_KEY_BYTES = 10;
const MAX_KEY_BYTES = 1024;
const MAX_PERIOD: i64 = 9999;

export function execute(): i32 {
  const request = Request.read();
  if (request == null) return Response.invalidRequest();
  if (request.action == 'import_secret') return importSecret(request);
  if (request.action == 'code') return code(request);
  return Response.invalidAction(request.action);
}

function algorithmName(value: string): string {
  const upper = value.toUpperCase().replace('-', '');
  return upper == 'SHA1' || upper == 'SHA256' || upper == 'SHA512' ? upper : '';
}

/** The person's error, on the secret field. */
function refuse(message: string): i32 {
  return Response.invalidParameters(message);
}

function importSecret(request: Request): i32 {
  const given = request.fieldOr('secret', '').trim();
  let keyText = given;
  const info = Json.object();
  const publicValues = Json.object();
  if (isOtpAuthUri(given)) {
    const uri = parseOtpAuth(given);
    if (uri == null) return refuse('The otpauth URI ' + otpAuthError);
    keyText = uri.secret;
    if (uri.issuer.length > 0) info.setString('issuer', uri.issuer);
    if (uri.account.length > 0) info.setString('account', uri.account);
    const filled = new Array<string>();
    if (uri.algorithm.length > 0) {
      const algorithm = algorithmName(uri.algorithm);
      if (algorithm.length == 0)
        return refuse(
          'The otpauth URI asks for algorithm ' +
            uri.algorithm +
            ': only SHA1, SHA256 and SHA512 are supported',
        );
      publicValues.setString('uri_algorithm', algorithm);
      filled.push('algorithm ' + algorithm);
    }
    if (uri.digits.length > 0) {
      if (uri.digits != '6' && uri.digits != '8')
        return refuse(
          'The otpauth URI asks for ' + uri.digits + ' digits: only 6 and 8 are supported',
        );
      publicValues.setString('uri_digits', uri.digits);
      filled.push(uri.digits + ' digits');
    }
    if (uri.period.length > 0) {
      const period = I64.parseInt(uri.period);
      if (period < 1 || period > MAX_PERIOD || period.toString() != uri.period)
        return refuse(
          'The otpauth URI has period ' + uri.period + ': it must be 1 to 9999 seconds',
        );
      publicValues.setString('uri_period', uri.period);
      filled.push('a period of ' + uri.period + ' s');
    }
    info.setString(
      'settings',
      filled.length > 0
        ? 'From the otpauth URI: ' + filled.join(', ') + ' (these win over the fields below)'
        : 'The otpauth URI sets nothing else: the fields below apply',
    );
  }
  const key = decodeBase32(keyText);
  if (key == null) return refuse('The setup key ' + base32Error);
  if (key.length < MIN_KEY_BYTES)
    return refuse(
      'The setup key is ' +
        key.length.toString() +
        ' bytes long; a real one has at least 10 (16 base32 characters). Check it was copied whole.',
    );
  if (key.length > MAX_KEY_BYTES) return refuse('The setup key is longer than 1024 bytes');
  info.setString('key', (key.length * 8).toString() + '-bit seed');
  return Response.ok(
    Json.object()
      .set('info', info)
      .set('sealed', Json.object().setString(SEALED_KEY, Base64.encode(key)))
      .set('public', publicValues),
  );
}

/** A setting: the otpauth URI's when it had one, else the form's field. */
function setting(request: Request, name: string, fallback: string): string {
  const fromUri = request.imported('uri_' + name);
  if (fromUri.length > 0) return fromUri;
  const field = request.field(name);
  return field != null && field.length > 0 ? field : fallback;
}

function code(request: Request): i32 {
  const sealed = request.sealed(SEALED_KEY);
  if (sealed.length == 0)
    return Response.error(
      'The credential has no imported setup key: open it in Custodian and save it again',
    );
  // The sealed seed is base64 of its bytes.
  const key = new SecretKey(sealed, 'base64');
  const algorithm = algorithmName(setting(request, 'algorithm', 'SHA1'));
  if (algorithm.length == 0)
    return Response.error("The credential's algorithm is not SHA1, SHA256 or SHA512");
  const digitsText = setting(request, 'digits', '6');
  if (digitsText != '6' && digitsText != '8')
    return Response.error("The credential's digits are not 6 or 8");
  const digits = I32.parseInt(digitsText);
  const period = I64.parseInt(setting(request, 'period', '30'));
  if (period < 1 || period > MAX_PERIOD)
    return Response.error("The credential's period is not 1 to 9999 seconds");
  const now = request.now();
  if (now <= 0) return Response.error('The host gave no time');

  // RFC 6238: T = floor(now / period), as 8 big-endian bytes, HMAC'd by the key.
  const counter = now / period;
  const message = new Uint8Array(8);
  for (let i = 0; i < 8; i++) message[7 - i] = <u8>((counter >> (<i64>(i * 8))) & 0xff);
  const mac = Crypto.hmacWith(algorithm.toLowerCase(), key, message);
  if (!mac.ok) return Response.error('The code could not be made: ' + mac.error);
  const h = mac.bytes;
  // RFC 4226 5.3, dynamic truncation.
  const offset = <i32>(h[h.length - 1] & 0x0f);
  const binary =
    ((<u32>(h[offset] & 0x7f)) << 24) |
    ((<u32>h[offset + 1]) << 16) |
    ((<u32>h[offset + 2]) << 8) |
    (<u32>h[offset + 3]);
  let modulus: u32 = 1;
  for (let i = 0; i < digits; i++) modulus *= 10;
  let text = (binary % modulus).toString();
  while (text.length < digits) text = '0' + text;
  const result: JsonValue = Json.object()
    .setString('code', text)
    .setInteger('valid_for', period - (now % period));
  return Response.ok(result);
}
