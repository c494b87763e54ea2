// ssh-signing: SSH signatures (SSHSIG, as `ssh-keygen -Y sign` makes them and
// git's gpg.format=ssh checks) with keys in the OpenSSH private key format.
//
// Actions:
// - import_key: run by the host when the person saves the credential, with the
//   field values (the key file and its passphrase), no network and no log.
//   Parses and checks the key and answers the public facts (info), the
//   private key as JWK text for the host to seal (sealed.private_jwk), and the
//   public key line the later calls need (public.public_key).
// - sign: an armored SSH signature over data in a namespace, made by the host
//   with the sealed key, by handle.
// - get_public_key: the public key line and its fingerprint.
//
// Modules: wire (SSH encoding), keyfile (openssh-key-v1), bcrypt-pbkdf and
// blowfish (its KDF), bignum (RSA's CRT numbers), ssh-key (types, lines,
// fingerprints), sshsig (the signature format), jwk-sign (host signing).

import { Base64, Json, JsonValue, Request, Response, utf8 } from '../../sdk/assembly';
import { Failure, fail, failParameter } from './errors';
import { readKeyFile } from './keyfile';
import { SshKey, fingerprint, keyFromPublicLine } from './ssh-key';
import { sshsign } from './sshsig';

const SEALED_KEY = 'private_jwk';
const PUBLIC_LINE = 'public_key';
const NAMESPACE_MAX: i32 = 256;

export function execute(): i32 {
  const request = Request.read();
  if (request == null) return Response.invalidRequest();
  const action = request.action;
  let result: JsonValue | null = null;
  if (action == 'import_key') result = importKey(request);
  else if (action == 'sign') result = sign(request);
  else if (action == 'get_public_key') result = getPublicKey(request);
  else return Response.invalidAction(action);
  if (result == null) return Response.error(Failure.message, Failure.code);
  return Response.ok(result);
}

/** What the form and the saved view show, and what ssh_public_key answers. */
function facts(key: SshKey): JsonValue | null {
  const print = fingerprint(key.publicBlob);
  if (print == null) return null;
  return Json.object()
    .setString('public_key', key.publicLine())
    .setString('fingerprint', print)
    .setString('type', key.label())
    .setInteger('bits', key.bits)
    .setString('comment', key.comment);
}

function importKey(request: Request): JsonValue | null {
  const text = request.field('private_key');
  if (text == null || text.length == 0) {
    fail('Paste an OpenSSH private key (-----BEGIN OPENSSH PRIVATE KEY-----)');
    return null;
  }
  const key = readKeyFile(text, request.fieldOr('passphrase', ''));
  if (key == null) return null;
  const info = facts(key);
  if (info == null) return null;
  info.setBool('protected', key.isProtected);
  return Json.object()
    .set('info', info)
    .set('sealed', Json.object().setString(SEALED_KEY, key.jwk))
    .set('public', Json.object().setString(PUBLIC_LINE, key.publicLine()));
}

/** The key as import described it; its private part stays with the host. */
function storedKey(request: Request): SshKey | null {
  const line = request.imported(PUBLIC_LINE);
  if (line.length == 0) {
    fail('The credential has no imported SSH key: open it in Custodian and save it again');
    return null;
  }
  return keyFromPublicLine(line);
}

/** Printable text without line breaks, as ssh-keygen's -n takes: it is shown to the person as it is. */
function namespaceParameter(request: Request): string | null {
  const namespace = request.stringParam('namespace', '');
  if (namespace.length == 0) {
    failParameter('"namespace" is required: for example "git" or "file"');
    return null;
  }
  if (namespace.length > NAMESPACE_MAX) {
    failParameter('"namespace" is longer than ' + NAMESPACE_MAX.toString() + ' characters');
    return null;
  }
  for (let i = 0; i < namespace.length; i++) {
    const c = namespace.charCodeAt(i);
    if (c < 0x21 || c == 0x7f) {
      failParameter('"namespace" may not contain spaces or control characters');
      return null;
    }
  }
  return namespace;
}

function dataParameter(request: Request): Uint8Array | null {
  const data = request.stringParam('data', '');
  if (request.stringParam('encoding', 'text') != 'base64') return utf8(data);
  const bytes = Base64.decode(data);
  if (bytes == null) failParameter('"data" is not valid base64');
  return bytes;
}

function sign(request: Request): JsonValue | null {
  const namespace = namespaceParameter(request);
  if (namespace == null) return null;
  const data = dataParameter(request);
  if (data == null) return null;
  const key = storedKey(request);
  if (key == null) return null;
  const handle = request.sealed(SEALED_KEY);
  if (handle.length == 0) {
    fail('The credential has no imported SSH key: open it in Custodian and save it again');
    return null;
  }
  const signature = sshsign(key, handle, namespace, data);
  if (signature == null) return null;
  return Json.object().setString('signature', signature);
}

function getPublicKey(request: Request): JsonValue | null {
  const key = storedKey(request);
  if (key == null) return null;
  const print = fingerprint(key.publicBlob);
  if (print == null) return null;
  return Json.object().setString('public_key', key.publicLine()).setString('fingerprint', print);
}
