// SSHSIG (OpenSSH's PROTOCOL.sshsig), the signature `ssh-keygen -Y sign`
// makes and git's gpg.format=ssh uses: the message is hashed with SHA-512,
// the hash is signed inside a "SSHSIG"-prefixed, namespaced blob by the key
// (held by the host, by handle), and the result is wrapped in a blob that
// names the public key and armored between BEGIN/END SSH SIGNATURE lines.

import { Base64, BytesResult, Crypto, Hash, utf8 } from '../../sdk/assembly';
import { fail } from './errors';
import { signWithJwk } from './jwk-sign';
import { Curve, KIND_ECDSA, KIND_ED25519, SshKey, curveOf } from './ssh-key';
import { WireWriter } from './wire';

const PREAMBLE = 'SSHSIG';
const VERSION: u32 = 1;
const HASH_NAME = 'sha512';
/** ssh-keygen wraps the armored base64 at 70 columns. */
const LINE = 70;

/** What the key signs: the preamble, namespace, reserved, hash name and the message's hash. */
export function signedData(namespace: string, messageHash: Uint8Array): Uint8Array {
  return new WireWriter()
    .raw(utf8(PREAMBLE))
    .text(namespace)
    .text('')
    .text(HASH_NAME)
    .string(messageHash)
    .finish();
}

/** The SSH signature blob of the key's type: algorithm name and signature (RFC 4253, 5656, 8332, 8709). */
function signatureBlob(key: SshKey, raw: Uint8Array): Uint8Array | null {
  if (key.kind == KIND_ED25519) return new WireWriter().text('ssh-ed25519').string(raw).finish();
  if (key.kind == KIND_ECDSA) {
    const curve: Curve = curveOf(key.type);
    if (raw.length != 2 * curve.size) {
      fail('The host returned an ECDSA signature of the wrong length');
      return null;
    }
    const rs = new WireWriter()
      .mpint(raw.subarray(0, curve.size))
      .mpint(raw.subarray(curve.size))
      .finish();
    return new WireWriter().text(key.type).string(rs).finish();
  }
  return new WireWriter().text('rsa-sha2-512').string(raw).finish();
}

/** An armored SSH signature over `message`, or null with the reason recorded. */
export function sshsign(
  key: SshKey,
  jwkHandle: string,
  namespace: string,
  message: Uint8Array,
): string | null {
  const digest = Crypto.digest(Hash.SHA512, message);
  if (!digest.ok) {
    fail('The host could not hash the data: ' + digest.error);
    return null;
  }
  const signed: BytesResult = signWithJwk(key, jwkHandle, signedData(namespace, digest.bytes));
  if (!signed.ok) {
    fail('The host could not sign: ' + signed.error);
    return null;
  }
  const signature = signatureBlob(key, signed.bytes);
  if (signature == null) return null;
  const blob = new WireWriter()
    .raw(utf8(PREAMBLE))
    .u32(VERSION)
    .string(key.publicBlob)
    .text(namespace)
    .text('')
    .text(HASH_NAME)
    .string(signature)
    .finish();
  return armor(blob);
}

export function armor(blob: Uint8Array): string {
  const body = Base64.encode(blob);
  let out = '-----BEGIN SSH SIGNATURE-----\n';
  for (let i = 0; i < body.length; i += LINE) {
    out += body.slice(i, i + LINE < body.length ? i + LINE : body.length) + '\n';
  }
  return out + '-----END SSH SIGNATURE-----\n';
}
