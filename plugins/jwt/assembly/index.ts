// jwt: JSON Web Tokens (RFC 7519) signed with a stored key. The key is read
// once, when the person saves the credential (import_key): a PEM private key
// becomes JWK text the host seals as `jwk`, which sign then uses by handle
// (RS256: RSASSA-PKCS1-v1_5 with SHA-256; ES256: ECDSA P-256, whose r || s
// answer is JWS's own form; EdDSA: Ed25519). An HS256 shared secret is used
// by handle as it is stored. The agent picks the claims, never iat, exp or
// (when the credential sets one) iss.

import {
  Base64,
  BytesResult,
  Crypto,
  Hash,
  Json,
  JsonValue,
  Request,
  Response,
  fromUtf8,
  utf8,
} from '../../sdk/assembly';

const SEALED_JWK = 'jwk';
const MAX_EXPIRES_IN: i64 = 86400;
const HS256_MIN_BYTES = 32;

export function execute(): i32 {
  const request = Request.read();
  if (request == null) return Response.invalidRequest();
  if (request.action == 'import_key') return importKey(request);
  if (request.action == 'sign') return sign(request);
  return Response.invalidAction(request.action);
}

/** The key type an algorithm needs, as import records it in `key_type`. */
function keyTypeFor(algorithm: string): string {
  if (algorithm == 'RS256') return 'RSA';
  if (algorithm == 'ES256') return 'EC P-256';
  if (algorithm == 'EdDSA') return 'Ed25519';
  if (algorithm == 'HS256') return 'shared secret';
  return '';
}

function member(json: JsonValue, name: string): string {
  const value = json.get(name);
  return value != null ? value.asString() : '';
}

/** RFC 7638 thumbprint: SHA-256 over the required public members, in order. */
function thumbprint(jwk: JsonValue): string {
  const kty = member(jwk, 'kty');
  let text = '';
  if (kty == 'RSA')
    text =
      '{"e":' +
      Json.quote(member(jwk, 'e')) +
      ',"kty":"RSA","n":' +
      Json.quote(member(jwk, 'n')) +
      '}';
  else if (kty == 'EC')
    text =
      '{"crv":' +
      Json.quote(member(jwk, 'crv')) +
      ',"kty":"EC","x":' +
      Json.quote(member(jwk, 'x')) +
      ',"y":' +
      Json.quote(member(jwk, 'y')) +
      '}';
  else
    text =
      '{"crv":' +
      Json.quote(member(jwk, 'crv')) +
      ',"kty":"OKP","x":' +
      Json.quote(member(jwk, 'x')) +
      '}';
  const digest = Crypto.digest(Hash.SHA256, utf8(text));
  return digest.ok ? Base64.encodeUrl(digest.bytes) : '';
}

function importKey(request: Request): i32 {
  const algorithm = request.fieldOr('algorithm', '');
  const wanted = keyTypeFor(algorithm);
  if (wanted.length == 0)
    return Response.invalidParameters('The algorithm must be RS256, ES256, EdDSA or HS256');
  const key = request.fieldOr('key', '');
  const isPem = key.indexOf('-----BEGIN') >= 0;
  const info = Json.object().setString('algorithm', algorithm);
  if (algorithm == 'HS256') {
    if (isPem)
      return Response.invalidParameters(
        'HS256 signs with a shared secret, not a PEM key: choose RS256, ES256 or EdDSA for this key',
      );
    if (utf8(key).length < HS256_MIN_BYTES)
      return Response.invalidParameters('An HS256 secret must be at least 32 bytes (RFC 7518 3.2)');
    info.setString('key', 'shared secret, ' + utf8(key).length.toString() + ' bytes');
    return Response.ok(
      Json.object()
        .set('info', info)
        .set('sealed', Json.object())
        .set('public', Json.object().setString('key_type', 'shared secret')),
    );
  }
  if (!isPem)
    return Response.invalidParameters(
      'Paste a PEM private key (-----BEGIN PRIVATE KEY-----) for ' + algorithm,
    );
  const converted = Crypto.pemToJwk(key);
  if (!converted.ok)
    return Response.invalidParameters(converted.error.replace('pem_to_jwk: ', 'The key: '));
  const jwkText = fromUtf8(converted.bytes);
  const jwk = Json.parse(jwkText);
  if (jwk == null) return Response.error('The host answered no JWK');
  const kty = member(jwk, 'kty');
  const crv = member(jwk, 'crv');
  let keyType = '';
  if (kty == 'RSA') keyType = 'RSA';
  else if (kty == 'EC') keyType = 'EC ' + crv;
  else if (kty == 'OKP') keyType = crv;
  if (keyType != wanted)
    return Response.invalidParameters(
      'This is an ' + keyType + ' key; ' + algorithm + ' needs an ' + wanted + ' key',
    );
  if (kty == 'RSA') {
    const n = Base64.decode(member(jwk, 'n'));
    info.setString('key', 'RSA ' + (n != null ? (n.length * 8).toString() : '?') + ' bits');
  } else info.setString('key', keyType);
  info.setString('thumbprint', thumbprint(jwk));
  // The public half, for whoever verifies the tokens.
  const publicJwk = Json.object().setString('kty', kty);
  if (kty == 'RSA') publicJwk.setString('n', member(jwk, 'n')).setString('e', member(jwk, 'e'));
  else {
    publicJwk.setString('crv', crv).setString('x', member(jwk, 'x'));
    if (kty == 'EC') publicJwk.setString('y', member(jwk, 'y'));
  }
  info.setString('public_jwk', publicJwk.stringify());
  return Response.ok(
    Json.object()
      .set('info', info)
      .set('sealed', Json.object().setString(SEALED_JWK, jwkText))
      .set('public', Json.object().setString('key_type', keyType)),
  );
}

function signature(request: Request, algorithm: string, input: Uint8Array): BytesResult {
  if (algorithm == 'HS256') {
    const secret = request.secret('key');
    if (secret == null) return failedBytes('The credential has no key');
    return Crypto.hmacWith(Hash.SHA256, secret, input);
  }
  const jwk = request.sealed(SEALED_JWK);
  if (jwk.length == 0)
    return failedBytes(
      'The credential has no imported key: open it in Custodian and save it again',
    );
  if (algorithm == 'RS256') return Crypto.rsaSignJwk('pkcs1', Hash.SHA256, jwk, input);
  if (algorithm == 'ES256') return Crypto.ecdsaSignJwk(Hash.SHA256, jwk, input);
  return Crypto.ed25519SignJwk(jwk, input);
}

function failedBytes(message: string): BytesResult {
  const result = new BytesResult();
  result.error = message;
  return result;
}

function sign(request: Request): i32 {
  const algorithm = request.fieldOr('algorithm', '');
  const wanted = keyTypeFor(algorithm);
  if (wanted.length == 0)
    return Response.error("The credential's algorithm is not RS256, ES256, EdDSA or HS256");
  const keyType = request.imported('key_type');
  if (keyType != wanted)
    return Response.error(
      "The credential's key (" +
        (keyType.length > 0 ? keyType : 'not imported') +
        ') does not fit its algorithm ' +
        algorithm +
        ': open it in Custodian and choose the matching algorithm, or paste a matching key',
    );
  const expiresIn = request.intParam('expires_in', 300);
  if (expiresIn < 1 || expiresIn > MAX_EXPIRES_IN)
    return Response.invalidParameters('"expires_in" must be 1 to 86400 seconds');
  const now = request.now();
  if (now <= 0) return Response.error('The host gave no time');

  const header = Json.object().setString('alg', algorithm).setString('typ', 'JWT');
  const kid = request.fieldOr('kid', '').trim();
  if (kid.length > 0) header.setString('kid', kid);

  const payload = Json.object();
  const issuer = request.fieldOr('issuer', '').trim();
  const claims = request.param('claims');
  if (claims != null && !claims.isObject())
    return Response.invalidParameters('"claims" must be an object');
  if (claims != null) {
    const names = claims.keys();
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      // iat and exp are Custodian's; iss too when the credential names one.
      if (name == 'iat' || name == 'exp' || (name == 'iss' && issuer.length > 0)) continue;
      const value = claims.get(name);
      if (value != null) payload.set(name, value);
    }
  }
  if (issuer.length > 0) payload.setString('iss', issuer);
  payload.setInteger('iat', now);
  payload.setInteger('exp', now + expiresIn);

  const signingInput =
    Base64.encodeUrl(utf8(header.stringify())) + '.' + Base64.encodeUrl(utf8(payload.stringify()));
  const signed = signature(request, algorithm, utf8(signingInput));
  if (!signed.ok) return Response.error('Signing failed: ' + signed.error);
  return Response.ok(
    Json.object().setString('token', signingInput + '.' + Base64.encodeUrl(signed.bytes)),
  );
}
