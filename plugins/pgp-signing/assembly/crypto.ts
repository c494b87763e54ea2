// Making and checking v4 signatures with the host's primitives, in two host
// calls per signature: the host's digest of the hash input (its left 16 bits
// go into the packet, and EdDSA signs it), then the signing or checking call;
// ECDSA and RSA get the hash input itself and hash it in the host.
//
// Hash input (RFC 4880 5.2.4): data || version .. hashed subpackets || 0x04 0xFF len32.

import { Base64, BytesResult, Crypto, Json, RsaPrivateKey } from '../../sdk/assembly';
import { Writer, concat, equalBytes } from './bytes';
import { Failure, fail } from './errors';
import { HASH_SHA256, HASH_SHA384, digest, hashDisplayName, hashName } from './hash';
import { ALG_ECDSA, ALG_EDDSA, ALG_RSA, ALG_RSA_SIGN, CURVE_P256, CURVE_P384, Key } from './keys';
import { leftPad, stripZeros, writeMpi } from './mpi';
import { TAG_SIGNATURE, writePacket } from './packets';
import { SecretMaterial } from './protection';
import { Signature } from './signature';

function curveName(key: Key): string {
  return key.curve == CURVE_P256 ? 'p256' : 'p384';
}

function curveSize(key: Key): i32 {
  return key.curve == CURVE_P256 ? 32 : key.curve == CURVE_P384 ? 48 : 0;
}

/**
 * The hash to sign with: the one asked for, except that ECDSA on P-384 needs
 * at least 384 bits (GnuPG refuses a shorter one, and picks SHA-384 itself).
 */
export function hashFor(key: Key, requested: i32): i32 {
  if (key.algorithm == ALG_ECDSA && key.curve == CURVE_P384 && requested == HASH_SHA256)
    return HASH_SHA384;
  return requested;
}

/** The whole hash input, in one buffer: data || hashed || 0x04 0xFF len32(hashed). */
function hashInput(data: Uint8Array, hashed: Uint8Array): Uint8Array {
  return new Writer(data.length + hashed.length + 6)
    .bytes(data)
    .bytes(hashed)
    .byte(4)
    .byte(0xff)
    .u32(<u32>hashed.length)
    .finish();
}

/** version, type, algorithms and the hashed subpackets: issuer fingerprint and creation time. */
function hashedArea(key: Key, sigType: i32, hashAlg: i32, created: i64): Uint8Array {
  const area = new Writer(64);
  area.byte(4).byte(sigType).byte(key.algorithm).byte(hashAlg);
  area.u16(23 + 6);
  area.byte(22).byte(33).byte(4).bytes(key.fingerprint); // issuer fingerprint (v4)
  area
    .byte(5)
    .byte(2)
    .u32(<u32>created); // signature creation time
  return area.finish();
}

/**
 * A complete signature packet (header included) over `data`, made with the
 * (sub)key `key`: with its decrypted `secret` (at import), or with the JWK
 * the import sealed, by the handle in key.sealed (`secret` null). Null with
 * the reason on failure.
 */
export function makeSignature(
  key: Key,
  secret: SecretMaterial | null,
  sigType: i32,
  hashAlg: i32,
  data: Uint8Array,
  created: i64,
): Uint8Array | null {
  const hashed = hashedArea(key, sigType, hashAlg, created);
  const input = hashInput(data, hashed);
  const hash = digest(hashAlg, input);
  if (hash == null) return null;
  const host = hashName(hashAlg);
  const values: Uint8Array[] = [];
  const alg = key.algorithm;
  if (secret == null && key.sealed.length == 0) {
    fail('the secret part of ' + key.keyIdHex + ' was not imported');
    return null;
  }
  if (alg == ALG_EDDSA) {
    let result: BytesResult;
    if (secret == null) result = Crypto.ed25519SignJwk(key.sealed, hash);
    else {
      const seed = leftPad(secret.values[0], 32);
      if (seed == null) {
        fail('the Ed25519 secret key is malformed');
        return null;
      }
      result = Crypto.ed25519Sign(seed, hash);
    }
    if (!result.ok || result.bytes.length != 64) {
      fail('signing failed: ' + result.error);
      return null;
    }
    values.push(result.bytes.subarray(0, 32));
    values.push(result.bytes.subarray(32));
  } else if (alg == ALG_ECDSA) {
    const result =
      secret == null
        ? Crypto.ecdsaSignJwk(host, key.sealed, input)
        : Crypto.ecdsaSign(curveName(key), host, secret.values[0], input);
    const size = curveSize(key);
    if (!result.ok || result.bytes.length != 2 * size) {
      fail('signing failed: ' + result.error);
      return null;
    }
    values.push(result.bytes.subarray(0, size));
    values.push(result.bytes.subarray(size));
  } else if (alg == ALG_RSA || alg == ALG_RSA_SIGN) {
    const result =
      secret == null
        ? Crypto.rsaSignJwk('pkcs1', host, key.sealed, input)
        : Crypto.rsaSign(
            'pkcs1',
            host,
            new RsaPrivateKey(key.n, key.e, secret.values[0], secret.values[1], secret.values[2]),
            input,
          );
    if (!result.ok) {
      fail('signing failed: ' + result.error);
      return null;
    }
    values.push(result.bytes);
  } else {
    fail(key.algorithmProblem);
    return null;
  }

  const body = new Writer(hashed.length + 16 + values.length * 520);
  body.bytes(hashed);
  body.u16(10).byte(9).byte(16).bytes(key.keyId); // unhashed: issuer key ID
  body.byte(hash[0]).byte(hash[1]);
  for (let i = 0; i < values.length; i++) writeMpi(body, values[i]);
  const packet = new Writer(body.length + 6);
  writePacket(packet, TAG_SIGNATURE, body.finish());
  return packet.finish();
}

/**
 * Checks `sig` over `signed` (the data part of the hash input) with `key`:
 * "" when it is valid, else why not. A host failure is a reason too, never
 * a success.
 */
export function checkSignature(key: Key, sig: Signature, signed: Uint8Array): string {
  if (sig.unknownCritical >= 0)
    return (
      'the signature has a subpacket of type ' +
      sig.unknownCritical.toString() +
      ' that is reserved, or critical and unknown, so it cannot be trusted'
    );
  if (!sig.exact) return "the signature is malformed (an MPI's bit count does not match its value)";
  const issuer = sig.issuerKeyId;
  if (issuer != null && !equalBytes(issuer, key.keyId))
    return "the signature's issuer key ID does not match the key that made it";
  if (sig.algorithm != key.algorithm)
    return "the signature's public-key algorithm does not match the key's";
  const problem = key.algorithmProblem;
  if (problem.length > 0) return problem;
  const host = hashName(sig.hashAlg);
  if (host.length == 0)
    return (
      'the signature uses ' + hashDisplayName(sig.hashAlg) + ', which this plugin does not support'
    );
  const input = hashInput(signed, sig.hashed);
  const hash = digest(sig.hashAlg, input);
  if (hash == null) return 'the signature could not be checked: ' + Failure.message;
  if (sig.left16.length != 2 || hash[0] != sig.left16[0] || hash[1] != sig.left16[1])
    return 'the signature does not match the data';

  const alg = key.algorithm;
  let valid = false;
  let error = '';
  if (alg == ALG_EDDSA) {
    if (key.point.length != 33 || key.point[0] != 0x40)
      return 'the Ed25519 public key is malformed';
    const r = leftPad(sig.values[0], 32);
    const s = leftPad(sig.values[1], 32);
    if (r == null || s == null) return 'the signature is malformed';
    const result = Crypto.ed25519Verify(key.point.subarray(1), hash, concat(r, s));
    valid = result.ok && result.valid;
    error = result.error;
  } else if (alg == ALG_ECDSA) {
    const size = curveSize(key);
    if (key.point.length != 2 * size + 1 || key.point[0] != 0x04)
      return 'the ECDSA public key is malformed';
    const r = leftPad(sig.values[0], size);
    const s = leftPad(sig.values[1], size);
    if (r == null || s == null) return 'the signature is malformed';
    const result = Crypto.ecdsaVerify(
      curveName(key),
      host,
      key.point.subarray(1, 1 + size),
      key.point.subarray(1 + size),
      input,
      concat(r, s),
    );
    valid = result.ok && result.valid;
    error = result.error;
  } else {
    const modulus = stripZeros(key.n).length;
    const value = leftPad(sig.values[0], modulus);
    if (value == null) return 'the signature is malformed';
    const result = Crypto.rsaVerify('pkcs1', host, key.n, key.e, input, value);
    valid = result.ok && result.valid;
    error = result.error;
  }
  if (error.length > 0) return 'the signature could not be checked: ' + error;
  return valid ? '' : 'the signature does not match the data';
}

/**
 * The decrypted secret part of a signing key as the JWK text the import
 * seals (RSA: n, e, d, p, q; the host works out the CRT values); "" for an
 * algorithm this plugin does not sign with.
 */
export function sealedJwk(key: Key, secret: SecretMaterial): string {
  const jwk = Json.object();
  const alg = key.algorithm;
  if (alg == ALG_EDDSA && key.point.length == 33) {
    const seed = leftPad(secret.values[0], 32);
    if (seed == null) return '';
    jwk.setString('kty', 'OKP').setString('crv', 'Ed25519').setString('d', Base64.encodeUrl(seed));
    jwk.setString('x', Base64.encodeUrl(key.point.subarray(1)));
  } else if (alg == ALG_ECDSA) {
    const size = curveSize(key);
    if (size == 0 || key.point.length != 2 * size + 1) return '';
    const d = leftPad(secret.values[0], size);
    if (d == null) return '';
    jwk.setString('kty', 'EC').setString('crv', key.curve == CURVE_P256 ? 'P-256' : 'P-384');
    jwk.setString('d', Base64.encodeUrl(d));
    jwk.setString('x', Base64.encodeUrl(key.point.subarray(1, 1 + size)));
    jwk.setString('y', Base64.encodeUrl(key.point.subarray(1 + size)));
  } else if (alg == ALG_RSA || alg == ALG_RSA_SIGN) {
    jwk.setString('kty', 'RSA');
    jwk.setString('n', Base64.encodeUrl(stripZeros(key.n)));
    jwk.setString('e', Base64.encodeUrl(stripZeros(key.e)));
    jwk.setString('d', Base64.encodeUrl(stripZeros(secret.values[0])));
    jwk.setString('p', Base64.encodeUrl(stripZeros(secret.values[1])));
    jwk.setString('q', Base64.encodeUrl(stripZeros(secret.values[2])));
  } else {
    return '';
  }
  return jwk.stringify();
}

/** 0x99 || len16 || public body, the form keys take in binding signatures' hash input. */
export function keyHashInput(out: Writer, key: Key): void {
  out.byte(0x99).u16(key.publicBody.length).bytes(key.publicBody);
}
