// Typed wrappers for the host functions. Each builds the JSON request of
// shared/plugin-abi.ts, calls the host and returns a result object: `ok`, and
// either the value or `error` (the host's message). Nothing here throws, since
// a throw in AssemblyScript aborts the whole call; check `ok`.
//
// Response shapes (the `ok` member aside):
//   digest, hmac, random, ed25519_public_key, ed25519_sign, ecdsa_sign,
//   rsa_sign, aes_decrypt, s2k -> {"result": base64}
//   hmac with "output": "handle" -> {"handle": string}
//   ed25519_verify, ecdsa_verify, rsa_verify -> {"valid": bool}
//   ecdsa_public_key -> {"x": base64, "y": base64}
//   custodian_http -> {"status", "headers", "body": base64}
//   custodian_log -> {}

import { Memory } from '@extism/as-pdk';
import { free, length } from '@extism/as-pdk/lib/env';
import { CustodianHost } from './imports';
import { Json, JsonValue } from './json';
import { Base64, fromUtf8, utf8 } from './encoding';
import { SecretKey } from './secret';

/** The outcome of any host call: the whole response object. */
export class HostResult {
  ok: bool = false;
  error: string = '';
  /** The parsed response ({"ok": ..., ...}); an empty object when there was none. */
  response: JsonValue = Json.object();
  /** The response exactly as the host sent it. */
  raw: string = '';
}

export class BytesResult {
  ok: bool = false;
  error: string = '';
  bytes: Uint8Array = new Uint8Array(0);
}

/** A key the host derived and keeps for the rest of this call (Crypto.hmacToKey). */
export class KeyResult {
  ok: bool = false;
  error: string = '';
  /** Its handle; pass it wherever a SecretKey goes. */
  key: SecretKey = new SecretKey('', 'raw');
}

export class VerifyResult {
  ok: bool = false;
  error: string = '';
  /** Meaningful only when `ok`: the signature checked out. */
  valid: bool = false;
}

export class EcPublicKeyResult {
  ok: bool = false;
  error: string = '';
  x: Uint8Array = new Uint8Array(0);
  y: Uint8Array = new Uint8Array(0);
}

export class HttpResult {
  ok: bool = false;
  error: string = '';
  status: i32 = 0;
  /** Response headers: a JSON object of strings. */
  headers: JsonValue = Json.object();
  body: Uint8Array = new Uint8Array(0);
  /** The body as UTF-8 text. */
  text(): string {
    return fromUtf8(this.body);
  }
}

// One function per import, passed by reference: a module then imports only
// the host functions it really calls (asc leaves out what is never reached).
type HostFunction = (request: u64) => u64;
function hostCrypto(request: u64): u64 {
  return CustodianHost.crypto(request);
}
function hostHttp(request: u64): u64 {
  return CustodianHost.http(request);
}
function hostLog(request: u64): u64 {
  return CustodianHost.log(request);
}

/** Writes `request` to Extism memory, calls the host function, reads and frees the response. */
function exchange(fn: HostFunction, request: string): string {
  const bytes = utf8(request);
  const input = Memory.allocate(bytes.length);
  input.store(bytes);
  const offset = fn(input.offset);
  input.free();
  if (offset == 0) return '';
  const text = new Memory(offset, length(offset)).toString();
  free(offset);
  return text;
}

function call(fn: HostFunction, request: JsonValue): HostResult {
  const result = new HostResult();
  result.raw = exchange(fn, request.stringify());
  const parsed = Json.parse(result.raw);
  if (parsed == null || !parsed.isObject()) {
    result.error = 'the host returned no valid response';
    return result;
  }
  result.response = parsed;
  const ok = parsed.get('ok');
  if (ok != null && ok.asBool()) {
    result.ok = true;
  } else {
    const error = parsed.get('error');
    result.error = error != null ? error.asString('host call failed') : 'host call failed';
  }
  return result;
}

/** A base64 member of a successful response, decoded; sets `error` when missing. */
function bytesOf(response: HostResult, key: string, into: BytesResult): BytesResult {
  if (!response.ok) {
    into.error = response.error;
    return into;
  }
  const member = response.response.get(key);
  const bytes = member != null ? Base64.decode(member.asString()) : null;
  if (bytes == null) {
    into.error = 'the host response has no base64 "' + key + '"';
    return into;
  }
  into.ok = true;
  into.bytes = bytes;
  return into;
}

function bytesResult(response: HostResult): BytesResult {
  return bytesOf(response, 'result', new BytesResult());
}

function verifyResult(response: HostResult): VerifyResult {
  const result = new VerifyResult();
  if (!response.ok) {
    result.error = response.error;
    return result;
  }
  const valid = response.response.get('valid');
  if (valid == null || !valid.isBool()) {
    result.error = 'the host response has no "valid"';
    return result;
  }
  result.ok = true;
  result.valid = valid.asBool();
  return result;
}

function b64(bytes: Uint8Array): JsonValue {
  return Json.str(Base64.encode(bytes));
}

function op(name: string): JsonValue {
  return Json.object().setString('op', name);
}

/** Hash names of shared/plugin-abi.ts. */
export class Hash {
  static readonly SHA1: string = 'sha1';
  static readonly SHA224: string = 'sha224';
  static readonly SHA256: string = 'sha256';
  static readonly SHA384: string = 'sha384';
  static readonly SHA512: string = 'sha512';
}

/** An RSA private key as raw big-endian integers. */
export class RsaPrivateKey {
  constructor(
    public n: Uint8Array,
    public e: Uint8Array,
    public d: Uint8Array,
    public p: Uint8Array,
    public q: Uint8Array,
  ) {}
}

/** custodian_crypto: needs `[capabilities] crypto = true`. */
export class Crypto {
  /** Any CryptoRequest as JSON; the response as the host sent it. */
  static call(request: JsonValue): HostResult {
    return call(hostCrypto, request);
  }

  static digest(alg: string, data: Uint8Array): BytesResult {
    return bytesResult(call(hostCrypto, op('digest').setString('alg', alg).set('data', b64(data))));
  }

  static hmac(alg: string, key: Uint8Array, data: Uint8Array): BytesResult {
    return hmacBy(alg, b64(key), data);
  }

  /** `length` bytes from the host's CSPRNG. */
  static random(length: i32): BytesResult {
    return bytesResult(call(hostCrypto, op('random').setInteger('length', length)));
  }

  static ed25519PublicKey(seed: Uint8Array): BytesResult {
    return ed25519PublicKeyBy(b64(seed));
  }

  static ed25519Sign(seed: Uint8Array, data: Uint8Array): BytesResult {
    return ed25519SignBy(b64(seed), data);
  }

  static ed25519Verify(
    publicKey: Uint8Array,
    data: Uint8Array,
    signature: Uint8Array,
  ): VerifyResult {
    const request = op('ed25519_verify')
      .set('public_key', b64(publicKey))
      .set('data', b64(data))
      .set('signature', b64(signature));
    return verifyResult(call(hostCrypto, request));
  }

  /** `curve` is "p256" or "p384"; `d` the private scalar. */
  static ecdsaPublicKey(curve: string, d: Uint8Array): EcPublicKeyResult {
    const response = call(
      hostCrypto,
      op('ecdsa_public_key').setString('curve', curve).set('d', b64(d)),
    );
    const result = new EcPublicKeyResult();
    const x = bytesOf(response, 'x', new BytesResult());
    const y = bytesOf(response, 'y', new BytesResult());
    if (!x.ok || !y.ok) {
      result.error = x.ok ? y.error : x.error;
      return result;
    }
    result.ok = true;
    result.x = x.bytes;
    result.y = y.bytes;
    return result;
  }

  /** The signature is r || s, each the curve's size (IEEE P1363). */
  static ecdsaSign(curve: string, hash: string, d: Uint8Array, data: Uint8Array): BytesResult {
    return ecdsaSignBy(curve, hash, b64(d), data);
  }

  static ecdsaVerify(
    curve: string,
    hash: string,
    x: Uint8Array,
    y: Uint8Array,
    data: Uint8Array,
    signature: Uint8Array,
  ): VerifyResult {
    const request = op('ecdsa_verify')
      .setString('curve', curve)
      .setString('hash', hash)
      .set('x', b64(x))
      .set('y', b64(y))
      .set('data', b64(data))
      .set('signature', b64(signature));
    return verifyResult(call(hostCrypto, request));
  }

  /** `padding` is "pkcs1" or "pss". */
  static rsaSign(padding: string, hash: string, key: RsaPrivateKey, data: Uint8Array): BytesResult {
    return rsaSignBy(padding, hash, key.n, key.e, b64(key.d), b64(key.p), b64(key.q), data);
  }

  static rsaVerify(
    padding: string,
    hash: string,
    n: Uint8Array,
    e: Uint8Array,
    data: Uint8Array,
    signature: Uint8Array,
  ): VerifyResult {
    const request = op('rsa_verify')
      .setString('padding', padding)
      .setString('hash', hash)
      .set('n', b64(n))
      .set('e', b64(e))
      .set('data', b64(data))
      .set('signature', b64(signature));
    return verifyResult(call(hostCrypto, request));
  }

  /**
   * `mode` "cfb" (full-block feedback, as OpenPGP uses; needs `iv`), "ctr" (a
   * 128-bit big-endian counter from `iv`, as OpenSSH key files use) or "ecb"
   * (whole blocks).
   */
  static aesDecrypt(
    mode: string,
    key: Uint8Array,
    iv: Uint8Array | null,
    data: Uint8Array,
  ): BytesResult {
    return aesDecryptBy(mode, b64(key), iv, data);
  }

  // Key material by handle: the host uses the value behind it, the plugin never holds it.

  static hmacWith(alg: string, key: SecretKey, data: Uint8Array): BytesResult {
    return hmacBy(alg, key.json(), data);
  }

  /**
   * HMAC whose result stays in the host: the answer is a new handle, valid as
   * a key for the rest of this call only, so a derived key (SigV4's kDate,
   * kRegion, kService, kSigning) never exists in the plugin. `prefix` (UTF-8
   * text, at most 64 characters) goes before the key's bytes: SigV4's
   * kDate = HMAC("AWS4" + secret, date) is hmacToKey(SHA256, secret, date, "AWS4").
   */
  static hmacToKey(alg: string, key: SecretKey, data: Uint8Array, prefix: string = ''): KeyResult {
    const request = op('hmac').setString('alg', alg).set('key', key.json()).set('data', b64(data));
    if (prefix.length > 0) request.setString('prefix', prefix);
    request.setString('output', 'handle');
    const response = call(hostCrypto, request);
    const result = new KeyResult();
    if (!response.ok) {
      result.error = response.error;
      return result;
    }
    const handle = response.response.get('handle');
    if (handle == null || !handle.isString()) {
      result.error = 'the host response has no "handle"';
      return result;
    }
    result.ok = true;
    result.key = new SecretKey(handle.asString(), 'raw');
    return result;
  }

  /**
   * The digest of `text` after the host replaced each {{secret:FIELD}}
   * (Secret.template) with that secret: a hash over data that holds a secret
   * the plugin has only by handle (SigV4 signs the session token).
   */
  /**
   * A private key's PEM (PKCS#8, or PKCS#1 RSA / SEC1 EC) as the UTF-8 bytes
   * of its JWK JSON text: what an import entry seals for the signing ops.
   * RSA 2048 to 8192 bits, EC P-256 and P-384, Ed25519. Takes the PEM's bytes,
   * never a handle.
   */
  static pemToJwk(pem: string): BytesResult {
    return bytesResult(call(hostCrypto, op('pem_to_jwk').set('pem', b64(utf8(pem)))));
  }

  static digestFilled(alg: string, text: string): BytesResult {
    const request = op('digest')
      .setString('alg', alg)
      .set('data', b64(utf8(text)))
      .setBool('fill_secrets', true);
    return bytesResult(call(hostCrypto, request));
  }

  static ed25519PublicKeyWith(seed: SecretKey): BytesResult {
    return ed25519PublicKeyBy(seed.json());
  }

  static ed25519SignWith(seed: SecretKey, data: Uint8Array): BytesResult {
    return ed25519SignBy(seed.json(), data);
  }

  static ecdsaSignWith(curve: string, hash: string, d: SecretKey, data: Uint8Array): BytesResult {
    return ecdsaSignBy(curve, hash, d.json(), data);
  }

  /** `n` and `e` are public; d, p and q by handle. The host checks they form one key. */
  static rsaSignWith(
    padding: string,
    hash: string,
    n: Uint8Array,
    e: Uint8Array,
    d: SecretKey,
    p: SecretKey,
    q: SecretKey,
    data: Uint8Array,
  ): BytesResult {
    return rsaSignBy(padding, hash, n, e, d.json(), p.json(), q.json(), data);
  }

  static aesDecryptWith(
    mode: string,
    key: SecretKey,
    iv: Uint8Array | null,
    data: Uint8Array,
  ): BytesResult {
    return aesDecryptBy(mode, key.json(), iv, data);
  }

  // A private key the type's import sealed as JWK text, by its handle
  // (request.sealed(name)): the curve, size and components come from the JWK.

  static ed25519SignJwk(jwk: string, data: Uint8Array): BytesResult {
    const request = op('ed25519_sign').setString('jwk', jwk).set('data', b64(data));
    return bytesResult(call(hostCrypto, request));
  }

  /** r || s, each the curve's size. */
  static ecdsaSignJwk(hash: string, jwk: string, data: Uint8Array): BytesResult {
    const request = op('ecdsa_sign')
      .setString('hash', hash)
      .setString('jwk', jwk)
      .set('data', b64(data));
    return bytesResult(call(hostCrypto, request));
  }

  static rsaSignJwk(padding: string, hash: string, jwk: string, data: Uint8Array): BytesResult {
    const request = op('rsa_sign')
      .setString('padding', padding)
      .setString('hash', hash)
      .setString('jwk', jwk)
      .set('data', b64(data));
    return bytesResult(call(hostCrypto, request));
  }

  /**
   * OpenPGP string-to-key (RFC 4880 3.7.1): `type` "simple", "salted" or
   * "iterated"; `salt` 8 bytes (null for simple); `count` the decoded octet
   * count (iterated only, at most 65011712; ignored otherwise); the key is
   * `keyLength` bytes (at most 64). The passphrase travels as base64 of its
   * bytes (UTF-8 for text: see `utf8`).
   */
  static s2k(
    type: string,
    hash: string,
    salt: Uint8Array | null,
    count: i64,
    passphrase: Uint8Array,
    keyLength: i32,
  ): BytesResult {
    const request = op('s2k').setString('type', type).setString('hash', hash);
    if (salt != null) request.set('salt', b64(salt));
    if (type == 'iterated') request.setInteger('count', count);
    request.set('passphrase', b64(passphrase)).setInteger('key_length', keyLength);
    return bytesResult(call(hostCrypto, request));
  }
}

// Each key-taking request is built once: the key field is either the bytes
// themselves (base64, for a plugin that reads values) or a handle
// ({"handle", "encoding"}, SecretKey.json()), and the host reads either.

function hmacBy(alg: string, key: JsonValue, data: Uint8Array): BytesResult {
  const request = op('hmac').setString('alg', alg).set('key', key).set('data', b64(data));
  return bytesResult(call(hostCrypto, request));
}

function ed25519PublicKeyBy(seed: JsonValue): BytesResult {
  return bytesResult(call(hostCrypto, op('ed25519_public_key').set('seed', seed)));
}

function ed25519SignBy(seed: JsonValue, data: Uint8Array): BytesResult {
  return bytesResult(call(hostCrypto, op('ed25519_sign').set('seed', seed).set('data', b64(data))));
}

function ecdsaSignBy(curve: string, hash: string, d: JsonValue, data: Uint8Array): BytesResult {
  const request = op('ecdsa_sign')
    .setString('curve', curve)
    .setString('hash', hash)
    .set('d', d)
    .set('data', b64(data));
  return bytesResult(call(hostCrypto, request));
}

function rsaSignBy(
  padding: string,
  hash: string,
  n: Uint8Array,
  e: Uint8Array,
  d: JsonValue,
  p: JsonValue,
  q: JsonValue,
  data: Uint8Array,
): BytesResult {
  const request = op('rsa_sign')
    .setString('padding', padding)
    .setString('hash', hash)
    .set('n', b64(n))
    .set('e', b64(e))
    .set('d', d)
    .set('p', p)
    .set('q', q)
    .set('data', b64(data));
  return bytesResult(call(hostCrypto, request));
}

function aesDecryptBy(
  mode: string,
  key: JsonValue,
  iv: Uint8Array | null,
  data: Uint8Array,
): BytesResult {
  const request = op('aes_decrypt').setString('mode', mode).set('key', key);
  if (iv != null) request.set('iv', b64(iv));
  request.set('data', b64(data));
  return bytesResult(call(hostCrypto, request));
}

/** custodian_http: needs the URL's host in `[capabilities] http`. */
export class Http {
  /**
   * `headers` is a JSON object of strings, or null. Redirects are followed by
   * the host, each one checked against the granted hosts.
   */
  static request(
    method: string,
    url: string,
    headers: JsonValue | null = null,
    body: Uint8Array | null = null,
  ): HttpResult {
    const request = Json.object().setString('method', method).setString('url', url);
    if (headers != null) request.set('headers', headers);
    if (body != null) request.set('body', b64(body));
    const response = call(hostHttp, request);
    const result = new HttpResult();
    if (!response.ok) {
      result.error = response.error;
      return result;
    }
    const status = response.response.get('status');
    const body64 = response.response.get('body');
    const bytes = body64 != null ? Base64.decode(body64.asString()) : null;
    if (status == null || !status.isInteger() || bytes == null) {
      result.error = 'the host returned an invalid HTTP response';
      return result;
    }
    result.ok = true;
    result.status = <i32>status.asInteger();
    const headersOut = response.response.get('headers');
    if (headersOut != null && headersOut.isObject()) result.headers = headersOut;
    result.body = bytes;
    return result;
  }

  static get(url: string, headers: JsonValue | null = null): HttpResult {
    return Http.request('GET', url, headers, null);
  }
}

/**
 * custodian_log: needs `[capabilities] log = true`. Lines go to the app log,
 * rate-limited, with any credential value scrubbed; false when refused.
 */
export class Log {
  static debug(message: string): bool {
    return Log.write('debug', message);
  }
  static info(message: string): bool {
    return Log.write('info', message);
  }
  static warn(message: string): bool {
    return Log.write('warn', message);
  }
  static error(message: string): bool {
    return Log.write('error', message);
  }
  static write(level: string, message: string): bool {
    return call(hostLog, Json.object().setString('level', level).setString('message', message)).ok;
  }
}
