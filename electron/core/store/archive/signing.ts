import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { archiveSignatureSchema, type ArchiveSignature } from '../../../../shared/plugin-archive';
import { ed25519KeyId } from '../key-id';
import { sha256Hex } from './descriptor';

// Ed25519 signatures over plugin archives, all through node:crypto. Keys are
// stored as PEM (PKCS#8 private, SPKI public) because every tool reads them;
// a key is named by its id, the first 16 hex digits of sha256 of the raw
// 32-byte public key, which is what a `.sig` file and a trust list carry.
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
  /** SPKI PEM: publish and put in trust lists. */
  publicKey: string;
}

export function generateSigningKey(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    keyId: keyIdOf(publicKey),
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/** The key's id (see key-id.ts); accepts a public or private key, PEM or KeyObject. */
export function keyIdOf(key: string | KeyObject): string {
  const publicKey = toPublicKey(key);
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string')
    throw new SignatureError('bad_key', 'not an Ed25519 key');
  return ed25519KeyId(Buffer.from(jwk.x, 'base64url'));
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
  const trusted = trustedPublicKeys.map((pem) => toPublicKey(pem));
  const key = trusted.find((candidate) => keyIdOf(candidate) === record.data.keyId);
  if (!key) {
    throw new SignatureError(
      'unknown_key',
      `the archive is signed by key ${record.data.keyId}, which is not trusted`,
    );
  }
  const ok = verify(
    null,
    signedMessage(archive),
    key,
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

function toPublicKey(key: string | KeyObject): KeyObject {
  try {
    if (typeof key !== 'string') return key.type === 'private' ? createPublicKey(key) : key;
    return createPublicKey(key);
  } catch {
    throw new SignatureError('bad_key', 'not a PEM Ed25519 key');
  }
}
