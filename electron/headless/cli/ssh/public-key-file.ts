import { CustodianError } from '../../../../shared/errors';

// The public key `-f KEYFILE` names, as ssh-keygen -Y sign accepts it: a
// public key line (what git writes from user.signingkey = "key::ssh-ed25519
// AAAA…", or an id_*.pub file), or an OpenSSH private key file, whose header
// holds the public key in clear even when the key is protected (nothing of
// the private part is read). The key is its type and blob; the comment is not
// part of it.

export interface SshPublicKey {
  type: string;
  /** The wire-format public key, as base64 (the second word of a key line). */
  blob: string;
}

const PRIVATE_BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const PRIVATE_END = '-----END OPENSSH PRIVATE KEY-----';
const MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');

export function readPublicKey(text: string, where: string): SshPublicKey {
  const begin = text.indexOf(PRIVATE_BEGIN);
  if (begin >= 0) return fromPrivateKeyFile(text, begin, where);
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const key = fromLine(line);
    if (key) return key;
    break;
  }
  throw invalid(where, 'holds no SSH public key (expected a line such as "ssh-ed25519 AAAA…")');
}

/** A public key line (an authorized_keys line without options): type, base64 blob, comment. */
export function fromLine(line: string): SshPublicKey | null {
  const [type, blob] = line.trim().split(/\s+/);
  if (!type || !blob || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) return null;
  const decoded = Buffer.from(blob, 'base64');
  // The blob names its own type first: a line whose two disagree is no key.
  if (wireString(decoded, 0)?.toString('latin1') !== type) return null;
  return { type, blob: decoded.toString('base64') };
}

function fromPrivateKeyFile(text: string, begin: number, where: string): SshPublicKey {
  const end = text.indexOf(PRIVATE_END, begin);
  if (end < 0) throw invalid(where, 'is an OpenSSH private key cut short');
  const data = Buffer.from(
    text.slice(begin + PRIVATE_BEGIN.length, end).replace(/\s+/g, ''),
    'base64',
  );
  if (!data.subarray(0, MAGIC.length).equals(MAGIC))
    throw invalid(where, 'is not an openssh-key-v1 private key');
  // cipher, kdf, kdf options, a count of 1, then the first public key.
  let at = MAGIC.length;
  for (let i = 0; i < 3; i++) {
    const skipped = wireString(data, at);
    if (!skipped) throw invalid(where, 'is a damaged OpenSSH private key');
    at += 4 + skipped.length;
  }
  if (data.length < at + 4 || data.readUInt32BE(at) !== 1)
    throw invalid(where, 'is not an OpenSSH private key with one key');
  const blob = wireString(data, at + 4);
  const type = blob && wireString(blob, 0);
  if (!blob || !type) throw invalid(where, 'is a damaged OpenSSH private key');
  return { type: type.toString('latin1'), blob: blob.toString('base64') };
}

/** An SSH string (uint32 length, bytes) at `at`, or null when it does not fit. */
function wireString(data: Buffer, at: number): Buffer | null {
  if (data.length < at + 4) return null;
  const length = data.readUInt32BE(at);
  if (data.length < at + 4 + length) return null;
  return data.subarray(at + 4, at + 4 + length);
}

function invalid(where: string, problem: string): CustodianError {
  return new CustodianError('invalid_input', `The key file ${where} ${problem}`);
}
