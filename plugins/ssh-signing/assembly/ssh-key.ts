// One SSH key as the plugin knows it after import: its type, the public key
// blob (RFC 4253 / RFC 5656 / RFC 8709 encoding), the comment, and (only during
// the import call) the private key as JWK text for the host to seal. The
// public facts are those `ssh-keygen -lf` prints.

import { Base64, Crypto, Hash } from '../../sdk/assembly';
import { fail } from './errors';
import { WireReader } from './wire';

export const KIND_ED25519: i32 = 1;
export const KIND_ECDSA: i32 = 2;
export const KIND_RSA: i32 = 3;

export class Curve {
  constructor(
    /** The name in the key blob: nistp256. */
    public sshName: string,
    /** JWK's crv: P-256. */
    public jwkName: string,
    /** The host's name for the curve: p256. */
    public hostName: string,
    /** A field element's octets. */
    public size: i32,
    /** The hash its SSH signature algorithm uses (RFC 5656 6.2.1). */
    public hash: string,
  ) {}
}

const P256 = new Curve('nistp256', 'P-256', 'p256', 32, Hash.SHA256);
const P384 = new Curve('nistp384', 'P-384', 'p384', 48, Hash.SHA384);

/** The curve of an ecdsa-sha2-* key type (P-256 unless it is nistp384). */
export function curveOf(type: string): Curve {
  return type == 'ecdsa-sha2-nistp384' ? P384 : P256;
}

export class SshKey {
  publicBlob: Uint8Array = new Uint8Array(0);
  comment: string = '';
  isProtected: bool = false;
  /** The private key as JWK text: set by import only, sealed by the host, never kept here. */
  jwk: string = '';

  constructor(
    public kind: i32,
    /** ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384 or ssh-rsa. */
    public type: string,
    public bits: i32,
  ) {}

  /** The authorized_keys line: type, base64 blob, comment. */
  publicLine(): string {
    const line = this.type + ' ' + Base64.encode(this.publicBlob);
    return this.comment.length > 0 ? line + ' ' + this.comment : line;
  }

  /** As ssh-keygen -l names the type: ED25519, ECDSA, RSA. */
  label(): string {
    if (this.kind == KIND_ED25519) return 'ED25519';
    if (this.kind == KIND_ECDSA) return 'ECDSA';
    return 'RSA';
  }
}

/** SHA256:base64-without-padding of the public key blob; null on a host failure. */
export function fingerprint(blob: Uint8Array): string | null {
  const digest = Crypto.digest(Hash.SHA256, blob);
  if (!digest.ok) {
    fail('The host could not hash the public key: ' + digest.error);
    return null;
  }
  let text = Base64.encode(digest.bytes);
  while (text.endsWith('=')) text = text.slice(0, text.length - 1);
  return 'SHA256:' + text;
}

/**
 * The key behind a public key line the plugin wrote at import (its type and
 * blob; the private part stays sealed in the host). Null if the line is not one.
 */
export function keyFromPublicLine(line: string): SshKey | null {
  const parts = line.trim().split(' ');
  if (parts.length < 2) {
    fail('The stored public key is damaged: save the credential again');
    return null;
  }
  const blob = Base64.decode(parts[1]);
  if (blob == null) {
    fail('The stored public key is damaged: save the credential again');
    return null;
  }
  const type = new WireReader(blob, 'The stored public key').text();
  if (type == null || type != parts[0]) {
    fail('The stored public key is damaged: save the credential again');
    return null;
  }
  let kind = KIND_RSA;
  let bits = 0;
  if (type == 'ssh-ed25519') {
    kind = KIND_ED25519;
    bits = 256;
  } else if (type == 'ecdsa-sha2-nistp256' || type == 'ecdsa-sha2-nistp384') {
    kind = KIND_ECDSA;
    bits = curveOf(type).size * 8;
  } else if (type != 'ssh-rsa') {
    fail('The stored public key has an unsupported type: save the credential again');
    return null;
  }
  const key = new SshKey(kind, type, bits);
  key.publicBlob = blob;
  if (parts.length > 2) key.comment = parts.slice(2).join(' ');
  return key;
}
