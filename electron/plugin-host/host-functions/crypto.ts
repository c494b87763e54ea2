import {
  constants,
  createECDH,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import type { CryptoRequest, HashAlgorithm } from '../../../shared/plugin-abi';
import { aesCfbDecrypt, aesEcbDecrypt } from './aes-cfb';
import { aesCtrCrypt } from './aes-ctr';
import { CallSecrets, refuseHandle } from './handles';
import { decodeBase64, encodeBase64, HostFunctionError } from './json';
import { jwkPrivateKey } from './jwk';
import { pemToJwk } from './pem-to-jwk';
import { S2K_MAX_COUNT, S2K_MAX_KEY_LENGTH, S2K_SALT_LENGTH, stringToKey } from './s2k';

// custodian_crypto: the primitives first-party plugins need, on node:crypto
// only, and only algorithms Electron's BoringSSL has. Keys arrive as raw
// components (base64 big-endian integers or bytes) and become KeyObjects
// through JWK (PKCS#8 for an Ed25519 seed, which JWK cannot express alone).
// Error messages name the operation and the field, never a value.
//
// Responses (besides "ok"): bytes as {"result": base64}; verifications as
// {"valid": bool}; ecdsa_public_key as {"x", "y"} (each the curve's size).
// s2k's passphrase is base64 of its octets (UTF-8 for text), like every other
// byte field.

export const RANDOM_CAP = 65_536;
const HASHES: readonly HashAlgorithm[] = ['sha1', 'sha224', 'sha256', 'sha384', 'sha512'];
const CURVES = {
  p256: { jwk: 'P-256', ecdh: 'prime256v1', size: 32 },
  p384: { jwk: 'P-384', ecdh: 'secp384r1', size: 48 },
} as const;
const RSA_MAX_BITS = 8_192;
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export type CryptoResult = Record<string, string | boolean>;

function hash(alg: unknown): HashAlgorithm {
  if (typeof alg !== 'string' || !HASHES.includes(alg as HashAlgorithm))
    throw new HostFunctionError(`"alg"/"hash" must be one of ${HASHES.join(', ')}`);
  return alg as HashAlgorithm;
}

function bytes(request: Record<string, unknown>, field: string, length?: number): Buffer {
  refuseHandle(request, field);
  return checkLength(decodeBase64(request[field], field), field, length);
}

function checkLength(value: Buffer, field: string, length?: number): Buffer {
  if (length !== undefined && value.length !== length)
    throw new HostFunctionError(`"${field}" must be ${length} bytes, not ${value.length}`);
  return value;
}

function curve(request: Record<string, unknown>) {
  const name = request.curve;
  if (name !== 'p256' && name !== 'p384')
    throw new HostFunctionError('"curve" must be p256 or p384');
  return CURVES[name];
}

/** A big-endian unsigned integer as JWK wants it: base64url, no leading zeros. */
function jwkInt(value: Buffer | bigint): string {
  if (typeof value === 'bigint') {
    let hex = value.toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    return Buffer.from(hex, 'hex').toString('base64url');
  }
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  return value.subarray(start).toString('base64url');
}

/** A field element left-padded to the curve's size. */
function fixed(value: Buffer, size: number, field: string): string {
  let start = 0;
  while (start < value.length && value[start] === 0 && value.length - start > size) start++;
  const trimmed = value.subarray(start);
  if (trimmed.length > size)
    throw new HostFunctionError(`"${field}" is longer than the curve's ${size} bytes`);
  return Buffer.concat([Buffer.alloc(size - trimmed.length), trimmed]).toString('base64url');
}

const toBigInt = (value: Buffer) => (value.length ? BigInt(`0x${value.toString('hex')}`) : 0n);

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new HostFunctionError('"p" and "q" do not form an RSA key');
  return ((oldS % m) + m) % m;
}

function keyError(op: string): never {
  throw new HostFunctionError(`${op}: the key components do not form a valid key`);
}

function ed25519Private(seed: Buffer): KeyObject {
  try {
    return createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
  } catch {
    return keyError('ed25519');
  }
}

function ecPublicPoint(
  c: (typeof CURVES)[keyof typeof CURVES],
  d: Buffer,
): { x: Buffer; y: Buffer } {
  try {
    const ecdh = createECDH(c.ecdh);
    ecdh.setPrivateKey(Buffer.from(fixed(d, c.size, 'd'), 'base64url'));
    const point = ecdh.getPublicKey();
    return { x: point.subarray(1, 1 + c.size), y: point.subarray(1 + c.size) };
  } catch (error) {
    if (error instanceof HostFunctionError) throw error;
    return keyError('ecdsa');
  }
}

function ecPrivate(c: (typeof CURVES)[keyof typeof CURVES], d: Buffer): KeyObject {
  const { x, y } = ecPublicPoint(c, d);
  try {
    return createPrivateKey({
      key: {
        kty: 'EC',
        crv: c.jwk,
        d: fixed(d, c.size, 'd'),
        x: x.toString('base64url'),
        y: y.toString('base64url'),
      },
      format: 'jwk',
    });
  } catch {
    return keyError('ecdsa');
  }
}

function rsaModulusCheck(n: Buffer): void {
  const bits = toBigInt(n).toString(2).length;
  if (bits > RSA_MAX_BITS)
    throw new HostFunctionError(`RSA keys above ${RSA_MAX_BITS} bits are refused`);
}

function rsaPrivate(r: Record<string, unknown>, secrets: CallSecrets): KeyObject {
  const [n, e, d, p, q] = ['n', 'e', 'd', 'p', 'q'].map((f) => secrets.keyBytes(r, f)) as [
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    Buffer,
  ];
  rsaModulusCheck(n);
  const [D, P, Q] = [toBigInt(d), toBigInt(p), toBigInt(q)];
  if (P < 3n || Q < 3n || D === 0n) keyError('rsa_sign');
  // With its own modulus a plugin could turn signatures into a discrete log of
  // a d it holds only by handle: the components must form one key.
  if (toBigInt(n) !== P * Q || !rsaExponentsMatch(toBigInt(e), D, P, Q)) keyError('rsa_sign');
  try {
    return createPrivateKey({
      key: {
        kty: 'RSA',
        n: jwkInt(n),
        e: jwkInt(e),
        d: jwkInt(d),
        p: jwkInt(p),
        q: jwkInt(q),
        dp: jwkInt(D % (P - 1n)),
        dq: jwkInt(D % (Q - 1n)),
        qi: jwkInt(modInverse(Q, P)),
      },
      format: 'jwk',
    });
  } catch {
    return keyError('rsa_sign');
  }
}

function rsaExponentsMatch(e: bigint, d: bigint, p: bigint, q: bigint): boolean {
  const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
  const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
  return (e * d) % lambda === 1n % lambda;
}

function rsaPublic(r: Record<string, unknown>): KeyObject {
  const n = bytes(r, 'n');
  rsaModulusCheck(n);
  try {
    return createPublicKey({
      key: { kty: 'RSA', n: jwkInt(n), e: jwkInt(bytes(r, 'e')) },
      format: 'jwk',
    });
  } catch {
    return keyError('rsa_verify');
  }
}

function rsaPadding(padding: unknown) {
  if (padding === 'pkcs1') return { padding: constants.RSA_PKCS1_PADDING };
  if (padding === 'pss')
    // Salt as long as the hash (RFC 8017's recommendation, what most verifiers expect).
    return {
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
    };
  throw new HostFunctionError('"padding" must be pkcs1 or pss');
}

function s2k(r: Record<string, unknown>): Buffer {
  const type = r.type;
  if (type !== 'simple' && type !== 'salted' && type !== 'iterated')
    throw new HostFunctionError('s2k: "type" must be simple, salted or iterated');
  const keyLength = r.key_length;
  if (
    typeof keyLength !== 'number' ||
    !Number.isInteger(keyLength) ||
    keyLength < 1 ||
    keyLength > S2K_MAX_KEY_LENGTH
  )
    throw new HostFunctionError(
      `s2k: "key_length" must be an integer from 1 to ${S2K_MAX_KEY_LENGTH}`,
    );
  let count = 0;
  if (type === 'iterated') {
    count = r.count as number;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > S2K_MAX_COUNT)
      throw new HostFunctionError(`s2k: "count" must be an integer from 1 to ${S2K_MAX_COUNT}`);
  } else if (r.count !== undefined) {
    throw new HostFunctionError(`s2k: "count" is for the iterated type only`);
  }
  let salt: Buffer = Buffer.alloc(0);
  if (type === 'simple') {
    if (r.salt !== undefined) throw new HostFunctionError('s2k: the simple type takes no "salt"');
  } else {
    salt = bytes(r, 'salt', S2K_SALT_LENGTH);
  }
  return stringToKey({
    type,
    hash: hash(r.hash),
    salt,
    count,
    passphrase: bytes(r, 'passphrase'),
    keyLength,
  });
}

/** hmac's "output": the MAC's bytes (default), or a handle for it valid in this call only. */
function hmacAnswer(r: Record<string, unknown>, mac: Buffer, secrets: CallSecrets): CryptoResult {
  if (r.output === undefined || r.output === 'bytes') return { result: encodeBase64(mac) };
  if (r.output === 'handle') return { handle: secrets.derive(mac) };
  throw new HostFunctionError('"output" must be bytes or handle');
}

/** Runs one crypto request; throws HostFunctionError with a message fit for the plugin. */
export function runCrypto(request: CryptoRequest, secrets = CallSecrets.none): CryptoResult {
  const r = request as unknown as Record<string, unknown>;
  const key = (field: string, length?: number) =>
    checkLength(secrets.keyBytes(r, field), field, length);
  switch (request.op) {
    case 'digest': {
      const data = secrets.filledData(r, bytes(r, 'data'));
      return { result: encodeBase64(createHash(hash(r.alg)).update(data).digest()) };
    }
    case 'hmac': {
      const mac = createHmac(hash(r.alg), secrets.withPrefix(r, key('key')))
        .update(bytes(r, 'data'))
        .digest();
      return hmacAnswer(r, mac, secrets);
    }
    case 'random': {
      const length = r.length;
      if (
        typeof length !== 'number' ||
        !Number.isInteger(length) ||
        length < 0 ||
        length > RANDOM_CAP
      )
        throw new HostFunctionError(`"length" must be an integer from 0 to ${RANDOM_CAP}`);
      return { result: encodeBase64(randomBytes(length)) };
    }
    case 'ed25519_public_key': {
      const jwk = createPublicKey(ed25519Private(key('seed', 32))).export({ format: 'jwk' });
      return { result: encodeBase64(Buffer.from(jwk.x ?? '', 'base64url')) };
    }
    case 'ed25519_sign': {
      const privateKey =
        r.jwk !== undefined
          ? jwkPrivateKey(r, secrets, 'ed25519_sign', 'ed25519')
          : ed25519Private(key('seed', 32));
      return { result: encodeBase64(sign(null, bytes(r, 'data'), privateKey)) };
    }
    case 'ed25519_verify': {
      let key: KeyObject;
      try {
        key = createPublicKey({
          key: { kty: 'OKP', crv: 'Ed25519', x: bytes(r, 'public_key', 32).toString('base64url') },
          format: 'jwk',
        });
      } catch (error) {
        if (error instanceof HostFunctionError) throw error;
        return keyError('ed25519_verify');
      }
      const signature = bytes(r, 'signature');
      return { valid: signature.length === 64 && verify(null, bytes(r, 'data'), key, signature) };
    }
    case 'ecdsa_public_key': {
      const { x, y } = ecPublicPoint(curve(r), key('d'));
      return { x: encodeBase64(x), y: encodeBase64(y) };
    }
    case 'ecdsa_sign': {
      const privateKey =
        r.jwk !== undefined
          ? jwkPrivateKey(r, secrets, 'ecdsa_sign', 'ecdsa')
          : ecPrivate(curve(r), key('d'));
      return {
        result: encodeBase64(
          sign(hash(r.hash), bytes(r, 'data'), { key: privateKey, dsaEncoding: 'ieee-p1363' }),
        ),
      };
    }
    case 'ecdsa_verify': {
      const c = curve(r);
      let key: KeyObject;
      try {
        key = createPublicKey({
          key: {
            kty: 'EC',
            crv: c.jwk,
            x: fixed(bytes(r, 'x'), c.size, 'x'),
            y: fixed(bytes(r, 'y'), c.size, 'y'),
          },
          format: 'jwk',
        });
      } catch (error) {
        if (error instanceof HostFunctionError) throw error;
        return keyError('ecdsa_verify');
      }
      const signature = bytes(r, 'signature');
      if (signature.length !== 2 * c.size) return { valid: false };
      return {
        valid: verify(
          hash(r.hash),
          bytes(r, 'data'),
          { key, dsaEncoding: 'ieee-p1363' },
          signature,
        ),
      };
    }
    case 'rsa_sign': {
      const padding = rsaPadding(r.padding);
      const privateKey =
        r.jwk !== undefined ? jwkPrivateKey(r, secrets, 'rsa_sign', 'rsa') : rsaPrivate(r, secrets);
      return {
        result: encodeBase64(sign(hash(r.hash), bytes(r, 'data'), { key: privateKey, ...padding })),
      };
    }
    case 'rsa_verify': {
      const padding = rsaPadding(r.padding);
      const key = rsaPublic(r);
      const signature = bytes(r, 'signature');
      try {
        return { valid: verify(hash(r.hash), bytes(r, 'data'), { key, ...padding }, signature) };
      } catch {
        return { valid: false };
      }
    }
    case 'aes_decrypt': {
      const aesKey = key('key');
      const data = bytes(r, 'data');
      try {
        if (r.mode === 'cfb')
          return { result: encodeBase64(aesCfbDecrypt(aesKey, bytes(r, 'iv'), data)) };
        if (r.mode === 'ctr')
          return { result: encodeBase64(aesCtrCrypt(aesKey, bytes(r, 'iv'), data)) };
        if (r.mode === 'ecb') return { result: encodeBase64(aesEcbDecrypt(aesKey, data)) };
      } catch (error) {
        if (error instanceof RangeError)
          throw new HostFunctionError(`aes_decrypt: ${error.message}`);
        throw error;
      }
      throw new HostFunctionError('"mode" must be cfb, ctr or ecb');
    }
    case 's2k':
      return { result: encodeBase64(s2k(r)) };
    case 'pem_to_jwk':
      return pemToJwk(r);
    default:
      throw new HostFunctionError(`unknown crypto op "${String(r.op).slice(0, 40)}"`);
  }
}
