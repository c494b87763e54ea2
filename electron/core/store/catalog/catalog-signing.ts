import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import {
  catalogBodySchema,
  catalogEnvelopeSchema,
  CATALOG_FORMAT,
  CATALOG_MAX_BYTES,
  type CatalogBody,
  type CatalogErrorCode,
} from '../../../../shared/catalog';
import { ed25519KeyId } from '../key-id';

// Signing and checking catalog envelopes with node:crypto's Ed25519; no crypto
// of our own. The signature covers the exact UTF-8 bytes of the envelope's
// `body` string, so checking never depends on how JSON is re-serialised.

/** A refused catalog: a code for the UI and tests, and a message a person can act on. */
export class CatalogError extends Error {
  constructor(
    readonly code: CatalogErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CatalogError';
  }
}

// DER SubjectPublicKeyInfo header for an Ed25519 key (RFC 8410): the raw
// 32-byte key follows it. Lets node:crypto import a raw key without JWK.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const RAW_KEY_BYTES = 32;
const SIGNATURE_BYTES = 64;

/** Decodes a base64 raw Ed25519 public key, or says why it is not one. */
export function decodePublicKey(base64: string): Buffer {
  const raw = Buffer.from(base64, 'base64');
  // Buffer.from ignores junk; a round trip proves the text was clean base64.
  if (raw.length !== RAW_KEY_BYTES || raw.toString('base64') !== base64.trim())
    throw new CatalogError(
      'malformed',
      'The public key must be a 32-byte Ed25519 key in base64 (44 characters).',
    );
  return raw;
}

export function publicKeyObject(rawKey: Buffer): KeyObject {
  return createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, rawKey]),
    format: 'der',
    type: 'spki',
  });
}

/** The raw 32 bytes of an Ed25519 public KeyObject (the inverse of publicKeyObject). */
export function rawPublicKey(key: KeyObject): Buffer {
  const der = key.export({ format: 'der', type: 'spki' });
  if (
    der.length !== ED25519_SPKI_PREFIX.length + RAW_KEY_BYTES ||
    key.asymmetricKeyType !== 'ed25519'
  )
    throw new CatalogError('malformed', 'not an Ed25519 public key');
  return der.subarray(ED25519_SPKI_PREFIX.length);
}

/** The key's id (see key-id.ts). */
export function keyIdOf(rawKey: Buffer): string {
  return ed25519KeyId(rawKey);
}

/**
 * Wraps catalog JSON text in a signed envelope. Used by tests and (later) the
 * build script that signs the bundled catalog; the app itself never signs.
 */
export function signCatalog(bodyText: string, privateKey: KeyObject | string): string {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  const rawKey = rawPublicKey(createPublicKey(key));
  const signature = sign(null, Buffer.from(bodyText, 'utf8'), key);
  return JSON.stringify({
    format: CATALOG_FORMAT,
    keyId: keyIdOf(rawKey),
    signature: signature.toString('base64'),
    body: bodyText,
  });
}

export interface VerifyContext {
  /** The raw 32-byte public key the person added for this source. */
  trustedKey: Buffer;
  now: Date;
  /** The sequence of the copy in use, or 0 when there is none. */
  lastSequence: number;
  /**
   * The body of the copy in use. Fetching the very same catalog again (same
   * sequence, same bytes) is "unchanged", not a rollback; the same sequence
   * with different bytes is refused, since a publisher never reuses one.
   */
  lastBody?: string;
  /** Where the catalog came from, for messages. */
  origin: string;
  /** What happens on refusal, ending each message; default: the previous copy stays in use. */
  outcome?: string;
}

export interface OpenedCatalog {
  catalog: CatalogBody;
  /** The signed body text, exactly as received. */
  body: string;
}

export const KEEP_PREVIOUS = 'the previous copy stays in use';

/**
 * Checks an envelope's shape, key and signature and parses its body; says
 * nothing about freshness. Order matters for the messages: shape, then key,
 * then signature, and only then what the signed body says, since unsigned
 * claims prove nothing. Also used to re-check copies read back from disk.
 */
export function openCatalog(
  envelopeText: string,
  trustedKey: Buffer,
  origin: string,
  outcome: string = KEEP_PREVIOUS,
): OpenedCatalog {
  const malformed = (why: string) =>
    new CatalogError('malformed', `The catalog from ${origin} ${why}; ${outcome}.`);

  if (Buffer.byteLength(envelopeText, 'utf8') > CATALOG_MAX_BYTES)
    throw malformed(`is larger than ${CATALOG_MAX_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(envelopeText);
  } catch {
    throw malformed('is not valid JSON');
  }
  const envelope = catalogEnvelopeSchema.safeParse(json);
  if (!envelope.success)
    throw malformed(`is not a signed catalog envelope (${describeIssue(envelope.error)})`);
  const { keyId, signature, body } = envelope.data;

  const trustedId = keyIdOf(trustedKey);
  if (keyId !== trustedId)
    throw new CatalogError(
      'unknown_key',
      `The catalog from ${origin} is signed by key ${keyId}, which is not the key you added (${trustedId}); ${outcome}.`,
    );

  const signatureBytes = Buffer.from(signature, 'base64');
  const valid =
    signatureBytes.length === SIGNATURE_BYTES &&
    verify(null, Buffer.from(body, 'utf8'), publicKeyObject(trustedKey), signatureBytes);
  if (!valid)
    throw new CatalogError(
      'bad_signature',
      `The catalog from ${origin} has a signature that does not match key ${trustedId}: it was changed after signing or signed by someone else; ${outcome}.`,
    );

  let bodyJson: unknown;
  try {
    bodyJson = JSON.parse(body);
  } catch {
    throw malformed('is signed, but its body is not valid JSON');
  }
  const parsed = catalogBodySchema.safeParse(bodyJson);
  if (!parsed.success)
    throw malformed(
      `is signed, but its body is not a valid catalog (${describeIssue(parsed.error)})`,
    );
  return { catalog: parsed.data, body };
}

/**
 * Checks an envelope fetched for a source and returns its catalog, or throws
 * a CatalogError: bad shape, another key, a bad signature, past its expiry, or
 * not newer than the copy in use.
 */
export function verifyCatalog(envelopeText: string, context: VerifyContext): OpenedCatalog {
  const { origin } = context;
  const outcome = context.outcome ?? KEEP_PREVIOUS;
  const opened = openCatalog(envelopeText, context.trustedKey, origin, outcome);
  const { catalog } = opened;
  if (Date.parse(catalog.expires) <= context.now.getTime())
    throw new CatalogError(
      'expired',
      `The catalog from ${origin} expired on ${catalog.expires}; ask its publisher for a fresh one. ${capitalise(outcome)}.`,
    );
  const unchanged = catalog.sequence === context.lastSequence && opened.body === context.lastBody;
  if (catalog.sequence <= context.lastSequence && !unchanged)
    throw new CatalogError(
      'rollback',
      `The catalog from ${origin} has sequence ${catalog.sequence}, ${catalog.sequence === context.lastSequence ? 'the same as the copy in use but with different contents' : `lower than the copy in use (${context.lastSequence})`}; an old catalog could bring back withdrawn plugins, so it is refused and ${outcome}.`,
    );
  return opened;
}

function describeIssue(error: { issues: readonly { path: PropertyKey[]; message: string }[] }) {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
