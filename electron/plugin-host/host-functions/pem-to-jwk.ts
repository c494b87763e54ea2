import { createPrivateKey, type KeyObject } from 'node:crypto';
import { refuseHandle } from './handles';
import { decodeBase64, encodeBase64, HostFunctionError } from './json';

// pem_to_jwk: a private key in PEM (PKCS#8 "PRIVATE KEY", or the older
// "RSA PRIVATE KEY" and "EC PRIVATE KEY") as JWK text, the form the host's
// signing ops take by handle. For an import entry, which holds the PEM as a
// value: it takes bytes only, never a handle, so it can never turn a key the
// plugin holds by handle into bytes. RSA 2048 to 8192 bits, EC P-256 and
// P-384, Ed25519; anything else is refused by name.

export const PEM_MAX = 16_384;
const RSA_MIN_BITS = 2_048;
const RSA_MAX_BITS = 8_192;
const MEMBERS: Record<string, readonly string[]> = {
  RSA: ['kty', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'],
  EC: ['kty', 'crv', 'x', 'y', 'd'],
  OKP: ['kty', 'crv', 'x', 'd'],
};

export function pemToJwk(request: Record<string, unknown>): { result: string } {
  refuseHandle(request, 'pem');
  const pem = decodeBase64(request.pem, 'pem');
  if (pem.length > PEM_MAX)
    throw new HostFunctionError(`pem_to_jwk: "pem" is longer than ${PEM_MAX} bytes`);
  const text = pem.toString('utf8');
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(text))
    throw new HostFunctionError(
      'pem_to_jwk: the key is encrypted; export it without a passphrase (openssl pkcs8 -topk8 -nocrypt)',
    );
  if (!/-----BEGIN (?:RSA |EC )?PRIVATE KEY-----/.test(text))
    throw new HostFunctionError(
      'pem_to_jwk: "pem" holds no private key (-----BEGIN PRIVATE KEY-----)',
    );
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch {
    throw new HostFunctionError('pem_to_jwk: the private key could not be read');
  }
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa') {
    const bits = details.modulusLength ?? 0;
    if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS)
      throw new HostFunctionError(
        `pem_to_jwk: an RSA key of ${bits} bits; ${RSA_MIN_BITS} to ${RSA_MAX_BITS} are accepted`,
      );
  } else if (type === 'ec') {
    if (details.namedCurve !== 'prime256v1' && details.namedCurve !== 'secp384r1')
      throw new HostFunctionError('pem_to_jwk: an EC key on a curve other than P-256 or P-384');
  } else if (type !== 'ed25519') {
    throw new HostFunctionError(
      `pem_to_jwk: a ${type ?? 'unknown'} key; RSA, EC (P-256, P-384) and Ed25519 are accepted`,
    );
  }
  const jwk = key.export({ format: 'jwk' }) as Record<string, unknown>;
  const kept: Record<string, unknown> = {};
  for (const member of MEMBERS[String(jwk.kty)] ?? []) kept[member] = jwk[member];
  return { result: encodeBase64(Buffer.from(JSON.stringify(kept), 'utf8')) };
}
