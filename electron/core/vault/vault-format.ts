import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CustodianError } from '../../../shared/errors';
import { checkKdfCost, kdfParamsSchema } from '../crypto/argon2';

// The vault file, byte by byte:
//
//   magic "CSTDNVLT" (8) | format version u16 BE | header length u32 BE
//   | header (JSON, UTF-8) | content ciphertext (AES-256-GCM, tag appended)
//   | SHA-256 of everything before it (32)
//
// Everything from the magic to the end of the header is the associated data of
// the content, so no header byte can change without the content failing to
// open. The trailing checksum is not a security measure: it tells accidental
// damage (a truncated copy, a flipped bit) apart from a wrong key, early and
// before any key is derived.

export const MAGIC = Buffer.from('CSTDNVLT', 'ascii');
export const FORMAT_VERSION = 1;
const PREFIX_BYTES = MAGIC.length + 2 + 4;
const CHECKSUM_BYTES = 32;
const MAX_HEADER_BYTES = 16 * 1024;

const b64 = (bytes: number) =>
  z
    .string()
    .refine(
      (s) => Buffer.from(s, 'base64').length === bytes && /^[A-Za-z0-9+/]+=*$/.test(s),
      `must be ${bytes} bytes of base64`,
    );

const wrapSchema = z.object({ nonce: b64(12), ciphertext: b64(48) }).strict();
export type KeyWrap = z.infer<typeof wrapSchema>;

export const headerSchema = z
  .object({
    vaultId: z.string().uuid(),
    createdAt: z.string(),
    kdf: kdfParamsSchema.extend({ salt: b64(16) }),
    recoveryWrap: wrapSchema,
    keychainWrap: wrapSchema.nullable(),
    contentNonce: b64(12),
  })
  .strict();
export type VaultHeader = z.infer<typeof headerSchema>;

export interface ParsedVaultFile {
  header: VaultHeader;
  /** Bytes bound to the content as associated data. */
  aad: Buffer;
  ciphertext: Buffer;
}

/**
 * Writes the vault file for `header` into the buffer `room` gives (at least
 * the file's size; the vault reuses one from save to save) and returns the
 * file's bytes, a view of that buffer:
 * prefix, header, then `sealedBytes` that `sealInto` fills with the content
 * sealed under the prefix and header as associated data, then the sha256 of
 * everything before it. The file is ciphertext only, so a buffer may be reused
 * from one save to the next.
 */
export function encodeVaultFile(
  header: VaultHeader,
  sealedBytes: number,
  sealInto: (aad: Buffer, out: Buffer) => void,
  room: (bytes: number) => Buffer = (bytes) => Buffer.alloc(bytes),
): Buffer {
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const aadBytes = PREFIX_BYTES + headerBytes.length;
  const bodyBytes = aadBytes + sealedBytes;
  const total = bodyBytes + CHECKSUM_BYTES;
  const file = room(total).subarray(0, total);
  MAGIC.copy(file, 0);
  file.writeUInt16BE(FORMAT_VERSION, MAGIC.length);
  file.writeUInt32BE(headerBytes.length, MAGIC.length + 2);
  headerBytes.copy(file, PREFIX_BYTES);
  sealInto(file.subarray(0, aadBytes), file.subarray(aadBytes, bodyBytes));
  createHash('sha256').update(file.subarray(0, bodyBytes)).digest().copy(file, bodyBytes);
  return file;
}

/** Reads the structure of a vault file; refuses anything damaged, foreign or too new before a key is used. */
export function decodeVaultFile(file: Buffer, where: string): ParsedVaultFile {
  const damaged = (why: string) =>
    new CustodianError(
      'vault_damaged',
      `The vault file ${where} is damaged: ${why}. It was left untouched.`,
    );
  if (file.length < MAGIC.length || !file.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new CustodianError(
      'vault_damaged',
      `${where} is not a Custodian vault file (its first bytes are wrong). It was left untouched.`,
    );
  }
  if (file.length < PREFIX_BYTES) throw damaged('it ends inside its header');
  const version = file.readUInt16BE(MAGIC.length);
  if (version !== FORMAT_VERSION) {
    throw new CustodianError(
      'vault_unsupported',
      `The vault file ${where} has format version ${version}; this Custodian reads version ${FORMAT_VERSION}. Nothing was changed: open it with the Custodian that wrote it.`,
    );
  }
  const headerLength = file.readUInt32BE(MAGIC.length + 2);
  if (headerLength > MAX_HEADER_BYTES) throw damaged(`its header claims ${headerLength} bytes`);
  const headerEnd = PREFIX_BYTES + headerLength;
  if (file.length < headerEnd + 16 + CHECKSUM_BYTES) throw damaged('it ends early');
  const body = file.subarray(0, file.length - CHECKSUM_BYTES);
  const checksum = file.subarray(file.length - CHECKSUM_BYTES);
  if (!createHash('sha256').update(body).digest().equals(checksum))
    throw damaged('its checksum does not match (the file was cut short or changed)');

  let json: unknown;
  try {
    json = JSON.parse(file.subarray(PREFIX_BYTES, headerEnd).toString('utf8'));
  } catch {
    throw damaged('its header is not valid JSON');
  }
  const parsed = headerSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw damaged(`header field "${first?.path.join('.')}" ${first?.message ?? 'is invalid'}`);
  }
  const refusal = checkKdfCost(parsed.data.kdf);
  if (refusal) {
    throw new CustodianError(
      'kdf_params_refused',
      `The vault file ${where} asks for Argon2id parameters outside the allowed range (${refusal}); nothing was derived or changed.`,
    );
  }
  return {
    header: parsed.data,
    aad: file.subarray(0, headerEnd),
    ciphertext: body.subarray(headerEnd),
  };
}
