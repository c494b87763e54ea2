// pgp-signing: OpenPGP signatures with keys exported by GnuPG, made by the
// host with keys this plugin never holds after import. import_key is the
// type's import entry: run once when the person saves a pgp_key, it reads the
// armored key and its passphrase (S2K once, here), refuses anything that is
// not a usable secret key, and answers the key's facts (`info`), each signing
// (sub)key's secret part as JWK (`sealed`) and the public key block
// (`public`). The actions (sign, sign_cleartext, verify, get_public_key,
// key_info) then work from the public key block and sign by handle.
//
// Modules: armor (ASCII armor, CRC-24), packets (headers), mpi, hash (IDs,
// the host's digests), keys (key packets, fingerprints, self-signature facts), protection
// (S2K and secret key decryption), signature (parsing), crypto (making and
// checking signatures), cleartext (the cleartext framework), select (loading
// the key and choosing the signing key), time (ISO 8601).

import { Base64, Json, JsonValue, Request, Response, utf8 } from '../../sdk/assembly';
import { armor, dearmor, decodeBase64Lenient } from './armor';
import { Writer, hexUpper } from './bytes';
import { prepareClearText, canonicalLineEndings, parseClearText } from './cleartext';
import { checkSignature, hashFor, keyHashInput, makeSignature, sealedJwk } from './crypto';
import { Failure, fail, failParameter } from './errors';
import { HASH_SHA256, HASH_SHA512, hashArmorName, hashName } from './hash';
import { Key, KeyRing } from './keys';
import {
  Packet,
  TAG_COMPRESSED,
  TAG_LITERAL,
  TAG_ONE_PASS,
  TAG_PUBLIC_KEY,
  TAG_PUBLIC_SUBKEY,
  TAG_SECRET_KEY,
  TAG_SECRET_SUBKEY,
  TAG_SIGNATURE,
  TAG_USER_ATTRIBUTE,
  TAG_USER_ID,
  readPackets,
  writePacket,
} from './packets';
import { SecretMaterial, forgetKeys, readProtection, unlock } from './protection';
import {
  loadImportedKey,
  loadPublicKeys,
  loadSecretKey,
  normalizeKeyId,
  sealedName,
  secretPartProblem,
  selectSigningKey,
  signingProblem,
} from './select';
import { SIG_BINARY, SIG_PRIMARY_BINDING, SIG_TEXT, Signature, parseSignature } from './signature';
import { isoDate, isoTime } from './time';

export function execute(): i32 {
  const request = Request.read();
  if (request == null) return Response.invalidRequest();
  const action = request.action;
  let result: JsonValue | null = null;
  if (action == 'import_key') result = importKey(request);
  else if (action == 'sign') result = sign(request);
  else if (action == 'sign_cleartext') result = signCleartext(request);
  else if (action == 'verify') result = verify(request);
  else if (action == 'get_public_key') result = getPublicKey(request);
  else if (action == 'key_info') result = keyInfo(request);
  else return Response.invalidAction(action);
  forgetKeys();
  if (result == null) return Response.error(Failure.message, Failure.code);
  return Response.ok(result);
}

// ── shared steps ─────────────────────────────────────────────────────────────

function hashParameter(request: Request): i32 {
  const name = request.stringParam('hash', 'sha256');
  if (name == 'sha256') return HASH_SHA256;
  if (name == 'sha512') return HASH_SHA512;
  failParameter('"hash" must be sha256 or sha512');
  return 0;
}

function keyIdParameter(request: Request): string | null {
  const value = request.stringParam('key_id', '');
  if (value.trim().length == 0) return '';
  const wanted = normalizeKeyId(value);
  if (wanted.length == 0) {
    failParameter('"key_id" must be a key ID (16 hex digits) or a fingerprint (40 hex digits)');
    return null;
  }
  return wanted;
}

/** The data parameter as bytes: UTF-8 text, or base64; null (code -3) when it is not base64. */
function dataParameter(request: Request): Uint8Array | null {
  const data = request.stringParam('data', '');
  if (request.stringParam('encoding', 'text') != 'base64') return utf8(data);
  const bytes = decodeBase64Lenient(data);
  if (bytes == null) failParameter('"data" is not valid base64');
  return bytes;
}

class Signer {
  constructor(
    public ring: KeyRing,
    public key: Key,
    public now: i64,
  ) {}
}

/** The imported key and the (sub)key to sign with, whose secret part the host holds. */
function prepareSigner(request: Request): Signer | null {
  const wanted = keyIdParameter(request);
  if (wanted == null) return null;
  const now = request.now();
  if (now <= 0) {
    fail('the request carries no current time (context.now), so no signature time can be set');
    return null;
  }
  const ring = loadImportedKey(request);
  if (ring == null) return null;
  const key = selectSigningKey(ring, wanted, now);
  if (key == null) return null;
  return new Signer(ring, key, now);
}

// ── sign ─────────────────────────────────────────────────────────────────────

function sign(request: Request): JsonValue | null {
  const requested = hashParameter(request);
  if (requested == 0) return null;
  const data = dataParameter(request);
  if (data == null) return null;
  const signer = prepareSigner(request);
  if (signer == null) return null;
  const hashAlg = hashFor(signer.key, requested);
  const packet = makeSignature(signer.key, null, SIG_BINARY, hashAlg, data, signer.now);
  if (packet == null) return null;
  const armored = request.boolParam('armor', true);
  return Json.object()
    .setString('signature', armored ? armor('SIGNATURE', packet) : Base64.encode(packet))
    .setString('fingerprint', signer.key.fingerprintHex)
    .setString('key_id', signer.key.keyIdHex)
    .setString('hash', hashName(hashAlg))
    .setString('created', isoTime(signer.now));
}

function signCleartext(request: Request): JsonValue | null {
  const requested = hashParameter(request);
  if (requested == 0) return null;
  const text = prepareClearText(request.stringParam('text', ''));
  const signer = prepareSigner(request);
  if (signer == null) return null;
  const hashAlg = hashFor(signer.key, requested);
  const packet = makeSignature(signer.key, null, SIG_TEXT, hashAlg, text.canonical, signer.now);
  if (packet == null) return null;
  const message = [
    '-----BEGIN PGP SIGNED MESSAGE-----\nHash: ',
    hashArmorName(hashAlg),
    '\n\n',
    text.shown,
    '\n',
    armor('SIGNATURE', packet),
  ].join('');
  return Json.object()
    .setString('message', message)
    .setString('fingerprint', signer.key.fingerprintHex)
    .setString('key_id', signer.key.keyIdHex)
    .setString('hash', hashName(hashAlg))
    .setString('created', isoTime(signer.now));
}

// ── verify ───────────────────────────────────────────────────────────────────

function invalid(reason: string): JsonValue {
  return Json.object()
    .setBool('valid', false)
    .set('fingerprint', Json.nil())
    .set('key_id', Json.nil())
    .set('created', Json.nil())
    .setString('reason', reason);
}

/** "" when the subkey is bound to the primary (and, if it signs, cross-certified). */
function bindingProblem(ring: KeyRing, sub: Key): string {
  const input = new Writer(ring.primary.publicBody.length + sub.publicBody.length + 6);
  keyHashInput(input, ring.primary);
  keyHashInput(input, sub);
  const signed = input.finish();
  // Newest first: the one that counts is almost always the only one.
  const bindings = sub.bindings.slice(0);
  bindings.sort((a: Signature, b: Signature): i32 =>
    b.created > a.created ? 1 : b.created < a.created ? -1 : 0,
  );
  let problem =
    'the subkey ' + sub.keyIdHex + ' has no valid binding signature from its primary key';
  for (let i = 0; i < bindings.length; i++) {
    if (checkSignature(ring.primary, bindings[i], signed).length != 0) continue;
    const back = bindings[i].embedded;
    if (back == null || back.type != SIG_PRIMARY_BINDING)
      return (
        'the signing subkey ' +
        sub.keyIdHex +
        ' is not cross-certified (no primary key binding signature)'
      );
    if (checkSignature(sub, back, signed).length != 0) {
      problem = 'the signing subkey ' + sub.keyIdHex + "'s cross-certification is invalid";
      continue;
    }
    return '';
  }
  return problem;
}

function verify(request: Request): JsonValue | null {
  const message = request.stringParam('message', '');
  let signed: Uint8Array;
  let sigData: Uint8Array;
  let cleartext = false;
  let hashHeaders: string[] = [];
  if (message.trim().length > 0) {
    const parsed = parseClearText(message);
    if (parsed.problem.length > 0) return invalid(parsed.problem);
    const armored = parsed.signature;
    if (armored == null) return invalid(Failure.message);
    if (armored.kind != 'SIGNATURE')
      return invalid('the message ends in a ' + armored.kind + ' block, not a SIGNATURE');
    signed = parsed.canonical;
    sigData = armored.data;
    cleartext = true;
    hashHeaders = parsed.hashHeaders;
  } else {
    if (!request.hasParam('data') || request.stringParam('signature', '').trim().length == 0) {
      failParameter('give "data" and "signature", or a cleartext-signed "message"');
      return null;
    }
    const data = dataParameter(request);
    if (data == null) return null;
    signed = data;
    const signature = request.stringParam('signature', '').trim();
    if (signature.startsWith('-----BEGIN PGP SIGNED MESSAGE-----')) {
      failParameter('"signature" holds a cleartext-signed message: pass it as "message"');
      return null;
    }
    if (signature.startsWith('-----')) {
      const armored = dearmorSignature(signature);
      if (armored == null) return invalid(Failure.message);
      sigData = armored;
    } else {
      const bytes = decodeBase64Lenient(signature);
      if (bytes == null) {
        failParameter('"signature" is neither an armored signature nor base64');
        return null;
      }
      sigData = bytes;
    }
  }

  // The keys to check against.
  let rings: KeyRing[];
  const publicKey = request.stringParam('public_key', '');
  const given = publicKey.trim().length > 0;
  if (given) {
    const loaded = loadPublicKeys(publicKey);
    if (loaded == null) {
      failParameter('"public_key": ' + Failure.message);
      return null;
    }
    rings = loaded;
  } else {
    const ring = loadImportedKey(request);
    if (ring == null) return null;
    rings = [ring];
  }

  const packets = readPackets(sigData, 'signature');
  if (packets == null) return invalid(Failure.message);
  const sigs: Signature[] = [];
  let unreadable = '';
  for (let i = 0; i < packets.length; i++) {
    const tag = packets[i].tag;
    if (tag == TAG_SIGNATURE) {
      const sig = parseSignature(packets[i]);
      if (sig != null) sigs.push(sig);
      else if (unreadable.length == 0) unreadable = Failure.message;
    } else if (tag == TAG_ONE_PASS || tag == TAG_LITERAL || tag == TAG_COMPRESSED) {
      return invalid('this is a signed message, not a detached signature');
    } else {
      return invalid(
        'the signature data holds a packet of type ' + tag.toString() + ', not a signature',
      );
    }
  }
  if (sigs.length == 0) return invalid(unreadable.length > 0 ? unreadable : 'no signature found');

  for (let i = 0; i < sigs.length; i++) {
    const sig = sigs[i];
    for (let j = 0; j < rings.length; j++) {
      const key = rings[j].find(sig.issuerFingerprint, sig.issuerKeyId);
      if (key != null) return judge(request, rings[j], key, sig, signed, cleartext, hashHeaders);
    }
  }
  const sig = sigs[0];
  const result = invalid(
    'the signature was made by key ' +
      issuerText(sig) +
      ', which is not ' +
      (given ? 'in the given public key' : 'the stored key or one of its subkeys'),
  );
  const fpr = sig.issuerFingerprint;
  const id = sig.issuerKeyId;
  if (fpr != null) result.setString('fingerprint', hexUpper(fpr));
  if (id != null) result.setString('key_id', hexUpper(id));
  else if (fpr != null) result.setString('key_id', hexUpper(fpr.subarray(12)));
  if (sig.created >= 0) result.setString('created', isoTime(sig.created));
  return result;
}

function dearmorSignature(text: string): Uint8Array | null {
  const armored = dearmor(text, 'signature');
  if (armored == null) return null;
  if (armored.kind != 'SIGNATURE') {
    fail('expected -----BEGIN PGP SIGNATURE-----, not -----BEGIN PGP ' + armored.kind + '-----');
    return null;
  }
  return armored.data;
}

function issuerText(sig: Signature): string {
  const fpr = sig.issuerFingerprint;
  if (fpr != null) return hexUpper(fpr);
  const id = sig.issuerKeyId;
  return id != null ? hexUpper(id) : '(unnamed)';
}

function judge(
  request: Request,
  ring: KeyRing,
  key: Key,
  sig: Signature,
  data: Uint8Array,
  cleartext: bool,
  hashHeaders: string[],
): JsonValue {
  let reason = '';
  let signed = data;
  if (sig.type == SIG_TEXT) {
    if (!cleartext) signed = canonicalLineEndings(data);
  } else if (sig.type != SIG_BINARY) {
    reason = 'this is not a signature over data (signature type 0x' + sig.type.toString(16) + ')';
  }
  if (reason.length == 0 && cleartext && hashHeaders.length > 0) {
    if (!hashHeaders.includes(hashArmorName(sig.hashAlg)))
      reason = "the message's Hash: header does not name the signature's hash";
  }
  if (reason.length == 0 && sig.created < 0) reason = 'the signature has no creation time';
  if (reason.length == 0) reason = checkSignature(key, sig, signed);
  if (reason.length == 0 && !key.isPrimary) reason = bindingProblem(ring, key);
  if (reason.length == 0 && sig.created < key.created)
    reason = 'the signature claims a time before its key was created';
  const now = request.now();
  if (
    reason.length == 0 &&
    sig.expiresAfter > 0 &&
    now > 0 &&
    now >= sig.created + sig.expiresAfter
  )
    reason = 'the signature expired on ' + isoDate(sig.created + sig.expiresAfter);

  const result = Json.object()
    .setBool('valid', reason.length == 0)
    .setString('fingerprint', key.fingerprintHex)
    .setString('key_id', key.keyIdHex)
    .set('created', sig.created >= 0 ? Json.str(isoTime(sig.created)) : Json.nil())
    .setString('primary_fingerprint', ring.primary.fingerprintHex);
  const hash = hashName(sig.hashAlg);
  if (hash.length > 0) result.setString('hash', hash);
  if (reason.length > 0) {
    result.setString('reason', reason);
    return result;
  }
  const uids = ring.userIds;
  for (let i = 0; i < uids.length; i++) {
    if (!uids[i].revoked) {
      result.setString('user_id', uids[i].text);
      break;
    }
  }
  if (ring.primary.revoked || key.revoked) result.setString('warning', 'the key is revoked');
  else if (key.expiresAt > 0 && sig.created >= key.expiresAt)
    result.setString('warning', 'the signature was made after the key expired');
  else if (ring.primary.expiresAt > 0 && sig.created >= ring.primary.expiresAt)
    result.setString('warning', 'the signature was made after the key expired');
  return result;
}

// ── get_public_key ───────────────────────────────────────────────────────────

/** The transferable public key: public key packets, user IDs, all signatures; no secrets, no trust packets. */
function exportPublicKey(ring: KeyRing): Uint8Array {
  const out = new Writer(4096);
  let subkey = 0;
  for (let i = 0; i < ring.packets.length; i++) {
    const packet: Packet = ring.packets[i];
    const tag = packet.tag;
    if (tag == TAG_SECRET_KEY || tag == TAG_PUBLIC_KEY) {
      writePacket(out, TAG_PUBLIC_KEY, ring.primary.publicBody);
    } else if (tag == TAG_SECRET_SUBKEY || tag == TAG_PUBLIC_SUBKEY) {
      writePacket(out, TAG_PUBLIC_SUBKEY, ring.subkeys[subkey++].publicBody);
    } else if (tag == TAG_USER_ID || tag == TAG_USER_ATTRIBUTE || tag == TAG_SIGNATURE) {
      out.bytes(packet.raw);
    }
  }
  return out.finish();
}

function getPublicKey(request: Request): JsonValue | null {
  const ring = loadImportedKey(request);
  if (ring == null) return null;
  return Json.object()
    .setString('public_key', request.imported('public_key'))
    .setString('fingerprint', ring.primary.fingerprintHex);
}

// ── key_info ─────────────────────────────────────────────────────────────────

function describeKey(key: Key): JsonValue {
  return Json.object()
    .setString('fingerprint', key.fingerprintHex)
    .setString('key_id', key.keyIdHex)
    .setString('algorithm', key.algorithmName)
    .setString('created', isoTime(key.created))
    .set('expires', key.expiresAt > 0 ? Json.str(isoTime(key.expiresAt)) : Json.nil())
    .set('capabilities', Json.strings(key.capabilities()))
    .setBool('revoked', key.revoked);
}

const SELF_TEST = 'Custodian key check';

/** Signs and verifies a test text: the secret really belongs to the public key. */
function selfTest(key: Key, secret: SecretMaterial, now: i64): bool {
  const data = utf8(SELF_TEST);
  const created = now > key.created ? now : key.created;
  const packet = makeSignature(key, secret, SIG_BINARY, HASH_SHA256, data, created);
  if (packet == null) return false;
  const packets = readPackets(packet, 'signature');
  if (packets == null) return false;
  const sig = parseSignature(packets[0]);
  if (sig == null) return false;
  const problem = checkSignature(key, sig, data);
  if (problem.length > 0)
    return fail(
      (key.isPrimary ? 'the secret key' : 'the secret subkey ' + key.keyIdHex) +
        ' does not match its public key (the key is damaged)',
    );
  return true;
}

/** The facts shown to the person and returned by key_info. */
function describeRing(ring: KeyRing, signer: Key, isProtected: bool): JsonValue {
  const primary = ring.primary;
  const info = describeKey(primary);
  info.setBool('protected', isProtected);
  const uids: string[] = [];
  for (let i = 0; i < ring.userIds.length; i++) {
    if (!ring.userIds[i].revoked) uids.push(ring.userIds[i].text);
  }
  info.set('user_ids', Json.strings(uids));
  const subkeys = Json.array();
  for (let i = 0; i < ring.subkeys.length; i++) subkeys.push(describeKey(ring.subkeys[i]));
  info.set('subkeys', subkeys);
  info.setString('signing_key', signer.fingerprintHex);
  return info;
}

/**
 * The import entry: with the person present, the armored key and its
 * passphrase. Every secret part must open with the passphrase and every
 * signing key must really sign, or the save is refused; each signing key's
 * secret part is sealed as JWK for the host, and the passphrase is not
 * needed again.
 */
function importKey(request: Request): JsonValue | null {
  const ring = loadSecretKey(request.field('private_key'));
  if (ring == null) return null;
  const now = request.now();
  const signer = selectSigningKey(ring, '', now);
  if (signer == null) return null;

  const passphrase = request.fieldOr('passphrase', '');
  let isProtected = false;
  const sealed = Json.object();
  const unsealed = Json.object();
  const keys = ring.all();
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key.secretPart == null) continue;
    const protection = readProtection(key);
    if (protection == null) return null;
    if (protection.gnu != 0) {
      unsealed.setString(key.keyIdHex, secretPartProblem(key));
      continue;
    }
    if (protection.isProtected) isProtected = true;
    const secret = unlock(key, protection, passphrase);
    if (secret == null) return null;
    const usable = key === signer || (key.canSign && signingProblem(ring, key, now).length == 0);
    const ok = !usable || selfTest(key, secret, now);
    // Any key that may sign later (an expired one too: expiry follows the call's time).
    const jwk = ok && key.canSign && key.algorithmProblem.length == 0 ? sealedJwk(key, secret) : '';
    secret.wipe();
    if (!ok) return null;
    if (jwk.length > 0) sealed.setString(sealedName(key), jwk);
  }

  const published = Json.object()
    .setString('public_key', armor('PUBLIC KEY BLOCK', exportPublicKey(ring)))
    .setString('unsealed', unsealed.stringify())
    .setString('protected', isProtected ? 'true' : 'false');
  return Json.object()
    .set('info', describeRing(ring, signer, isProtected))
    .set('sealed', sealed)
    .set('public', published);
}

/** The key's facts, from what its import kept, at the call's time. */
function keyInfo(request: Request): JsonValue | null {
  const ring = loadImportedKey(request);
  if (ring == null) return null;
  const signer = selectSigningKey(ring, '', request.now());
  if (signer == null) return null;
  return describeRing(ring, signer, request.imported('protected') == 'true');
}
