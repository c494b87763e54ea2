import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { archiveSignatureSchema, type ArchiveSignature } from '../../../../shared/plugin-archive';
import { decodePublicKey, publicKeyObject, rawPublicKey } from '../catalog/catalog-signing';
import { ed25519KeyId } from '../key-id';
import { sha256Hex } from './descriptor';

// Ed25519 signatures over plugin archives, all through node:crypto. A private
// key is PKCS#8 PEM; a public key is what catalogs carry too, the raw 32-byte
// key in base64 (44 characters), so one `.pub` file serves both. A key is
// named by its id, the first 16 hex digits of sha256 of the raw public key,
// which is what a `.sig` file and a trust list carry.
//
// What is signed is a domain-separated statement about the archive's sha256,
// not the raw bytes: a signature made for an archive can never be replayed as a
// signature over some other kind of message made with the same key.
const SIGNED_CONTEXT = 'custodian-plugin-archive/v1\n';

export class SignatureError extends Error {
  constructor(
    readonly code: 'bad_signature_record' | 'bad_key' | 'unknown_key' | 'bad_signature',
    message: string,
  ) {
    super(message);
    this.name = 'SignatureError';
  }
}

export interface SigningKeyPair {
  keyId: string;
  /** PKCS#8 PEM: keep secret. */
  privateKey: string;
  /** Raw 32-byte Ed25519 key in base64 (44 characters): publish, and add with a catalog. */
  publicKey: string;
}

export function generateSigningKey(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = rawPublicKey(publicKey);
  return {
    keyId: ed25519KeyId(raw),
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKey: raw.toString('base64'),
  };
}

/**
 * The key's id (see key-id.ts). Accepts a raw base64 public key, a PEM key
 * (private or public) or a KeyObject.
 */
export function keyIdOf(key: string | KeyObject): string {
  return ed25519KeyId(rawOf(toPublicKey(key)));
}

export function signArchive(archive: Uint8Array, privateKeyPem: string): ArchiveSignature {
  let key: KeyObject;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch {
    throw new SignatureError('bad_key', 'the private key is not a PEM private key');
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new SignatureError('bad_key', 'the private key is not an Ed25519 key');
  return {
    format: 1,
    algorithm: 'ed25519',
    keyId: keyIdOf(key),
    signature: sign(null, signedMessage(archive), key).toString('base64'),
  };
}

/** The `.sig` file's text for a signature record. */
export function formatSignature(signature: ArchiveSignature): string {
  return `${JSON.stringify(signature, null, 2)}\n`;
}

/** Parses a `.sig` file's text; throws SignatureError('bad_signature_record') when it is not one. */
export function parseSignature(text: string): ArchiveSignature {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new SignatureError('bad_signature_record', 'the signature file is not JSON');
  }
  const result = archiveSignatureSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new SignatureError(
      'bad_signature_record',
      `the signature file is invalid: ${issue?.path.join('.') || 'record'}: ${issue?.message ?? ''}`,
    );
  }
  return result.data;
}

/**
 * Checks the signature with the trusted key it names. Returns the key id on
 * success; throws SignatureError when the key is not trusted or the signature
 * does not match these exact bytes.
 */
export function verifyArchive(
  archive: Uint8Array,
  signature: ArchiveSignature,
  trustedPublicKeys: readonly string[],
): { keyId: string } {
  const record = archiveSignatureSchema.safeParse(signature);
  if (!record.success)
    throw new SignatureError('bad_signature_record', 'the signature record is invalid');
  const key = trustedPublicKeys
    .map((base64) => decodeTrustedKey(base64))
    .find((candidate) => ed25519KeyId(candidate) === record.data.keyId);
  if (!key) {
    throw new SignatureError(
      'unknown_key',
      `the archive is signed by key ${record.data.keyId}, which is not trusted`,
    );
  }
  const ok = verify(
    null,
    signedMessage(archive),
    publicKeyObject(key),
    Buffer.from(record.data.signature, 'base64'),
  );
  if (!ok) {
    throw new SignatureError(
      'bad_signature',
      `the signature by key ${record.data.keyId} does not match this archive`,
    );
  }
  return { keyId: record.data.keyId };
}

function signedMessage(archive: Uint8Array): Buffer {
  return Buffer.from(`${SIGNED_CONTEXT}${sha256Hex(archive)}\n`, 'utf8');
}

function decodeTrustedKey(base64: string): Buffer {
  try {
    return decodePublicKey(base64);
  } catch {
    throw new SignatureError(
      'bad_key',
      'a trusted public key is not a 32-byte Ed25519 key in base64 (44 characters)',
    );
  }
}

function toPublicKey(key: string | KeyObject): KeyObject {
  try {
    if (typeof key !== 'string') return key.type === 'private' ? createPublicKey(key) : key;
    if (!key.includes('-----BEGIN')) return publicKeyObject(decodePublicKey(key));
    return createPublicKey(key);
  } catch {
    throw new SignatureError('bad_key', 'not an Ed25519 key (PEM, or raw base64)');
  }
}

function rawOf(key: KeyObject): Buffer {
  try {
    return rawPublicKey(key);
  } catch {
    throw new SignatureError('bad_key', 'not an Ed25519 key');
  }
}
