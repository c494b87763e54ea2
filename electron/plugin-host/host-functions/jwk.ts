import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { CallSecrets } from './handles';
import { HostFunctionError } from './json';

// Private keys an import sealed as JWK text, used by handle: ed25519_sign,
// ecdsa_sign and rsa_sign take {"jwk": HANDLE} instead of raw components. The
// key is checked to be of the operation's kind (and size) before use; errors
// name the operation and the field, never anything of the key.

export type JwkKind = 'ed25519' | 'ecdsa' | 'rsa';

const RSA_MAX_BITS = 8_192;
/** Raw component fields: a request that gives a jwk gives no other key. */
const RAW_KEY_FIELDS = ['seed', 'd', 'n', 'e', 'p', 'q', 'curve'] as const;
const EC_CURVES: Record<string, string> = { 'P-256': 'prime256v1', 'P-384': 'secp384r1' };

function wrongKey(op: string, what: string): never {
  throw new HostFunctionError(`${op}: the key behind "jwk" is not ${what}`);
}

/** The private key behind the request's "jwk" handle, for `op` of `kind`. */
export function jwkPrivateKey(
  request: Record<string, unknown>,
  secrets: CallSecrets,
  op: string,
  kind: JwkKind,
): KeyObject {
  const extra = RAW_KEY_FIELDS.filter((f) => request[f] !== undefined);
  if (extra.length > 0)
    throw new HostFunctionError(
      `${op}: give the key once, by "jwk" or by components, not both (also given: ${extra.join(', ')})`,
    );
  const text = secrets.handleText(request, 'jwk');
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch {
    return wrongKey(op, 'JWK JSON text');
  }
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk))
    return wrongKey(op, 'a JWK object');
  const fields = jwk as Record<string, unknown>;
  const expected =
    kind === 'ed25519'
      ? fields.kty === 'OKP' && fields.crv === 'Ed25519'
      : kind === 'ecdsa'
        ? fields.kty === 'EC' && typeof fields.crv === 'string' && fields.crv in EC_CURVES
        : fields.kty === 'RSA';
  if (!expected)
    return wrongKey(
      op,
      kind === 'ed25519'
        ? 'an Ed25519 private key (kty OKP, crv Ed25519)'
        : kind === 'ecdsa'
          ? 'an EC private key on P-256 or P-384'
          : 'an RSA private key',
    );
  if (
    kind === 'rsa' &&
    typeof fields.n === 'string' &&
    Buffer.from(fields.n, 'base64url').length * 8 > RSA_MAX_BITS
  )
    throw new HostFunctionError(`RSA keys above ${RSA_MAX_BITS} bits are refused`);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: fields as JsonWebKey, format: 'jwk' });
  } catch {
    return wrongKey(op, 'a valid private key');
  }
  const type = key.asymmetricKeyType;
  if (kind === 'ed25519' ? type !== 'ed25519' : kind === 'ecdsa' ? type !== 'ec' : type !== 'rsa')
    return wrongKey(op, 'a key of this kind');
  return key;
}
