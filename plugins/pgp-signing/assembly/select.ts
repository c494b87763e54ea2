// Reading the stored key (or a given public key) and choosing the (sub)key
// that signs: the one the caller names, else the newest usable signing
// subkey, else the primary (as GnuPG chooses). Expired, revoked and
// unsupported keys are skipped; when none is left the error says why.

import { Json, Request } from '../../sdk/assembly';
import { dearmor } from './armor';
import { Failure, fail } from './errors';
import { Key, KeyRing, readKeyRings } from './keys';
import { readPackets } from './packets';
import { GNU_CARD, GNU_DUMMY, readProtection } from './protection';
import { isoDate } from './time';

const EXPORT_HINT = 'gpg --export-secret-keys --armor KEYID';

/** The credential's secret key; exactly one key with its secret parts. */
export function loadSecretKey(text: string | null): KeyRing | null {
  if (text == null || text.trim().length == 0) {
    fail('the credential has no private key');
    return null;
  }
  const armored = dearmor(text, 'private key');
  if (armored == null) return null;
  if (armored.kind == 'PUBLIC KEY BLOCK') {
    fail('this is a public key block, not a secret key; paste the output of ' + EXPORT_HINT);
    return null;
  }
  if (armored.kind != 'PRIVATE KEY BLOCK' && armored.kind != 'SECRET KEY BLOCK') {
    fail(
      'expected -----BEGIN PGP PRIVATE KEY BLOCK-----, not -----BEGIN PGP ' +
        armored.kind +
        '-----; paste the output of ' +
        EXPORT_HINT,
    );
    return null;
  }
  const packets = readPackets(armored.data, 'private key');
  if (packets == null) return null;
  const rings = readKeyRings(packets, 'private key');
  if (rings == null) return null;
  if (rings.length != 1) {
    fail('the block holds ' + rings.length.toString() + ' keys; export just one: ' + EXPORT_HINT);
    return null;
  }
  if (rings[0].primary.secretPart == null) {
    fail('the block holds a public key, not a secret key; paste the output of ' + EXPORT_HINT);
    return null;
  }
  return rings[0];
}

const NOT_IMPORTED = 'the credential has no imported key: open it in Custodian and save it again';

/**
 * The credential's key as its import kept it: the public key block, each
 * sealed secret part by the handle of this call (sealed name "key_" + its key
 * ID in lower case), and why the others cannot sign.
 */
export function loadImportedKey(request: Request): KeyRing | null {
  const block = request.imported('public_key');
  if (block.length == 0) {
    fail(NOT_IMPORTED);
    return null;
  }
  const rings = loadPublicKeys(block);
  if (rings == null) return null;
  if (rings.length != 1) {
    fail(NOT_IMPORTED);
    return null;
  }
  const ring = rings[0];
  const unsealed = Json.parse(request.imported('unsealed'));
  const keys = ring.all();
  for (let i = 0; i < keys.length; i++) {
    keys[i].sealed = request.sealed(sealedName(keys[i]));
    const reason = unsealed != null ? unsealed.get(keys[i].keyIdHex) : null;
    if (reason != null) keys[i].unsealed = reason.asString();
  }
  return ring;
}

/** The sealed name of a (sub)key's secret part. */
export function sealedName(key: Key): string {
  return 'key_' + key.keyIdHex.toLowerCase();
}

/** The keys of an armored public (or secret) key block given as a parameter. */
export function loadPublicKeys(text: string): KeyRing[] | null {
  const armored = dearmor(text, 'public key');
  if (armored == null) return null;
  if (armored.kind != 'PUBLIC KEY BLOCK' && armored.kind != 'PRIVATE KEY BLOCK') {
    fail(
      'expected -----BEGIN PGP PUBLIC KEY BLOCK-----, not -----BEGIN PGP ' + armored.kind + '-----',
    );
    return null;
  }
  const packets = readPackets(armored.data, 'public key');
  if (packets == null) return null;
  return readKeyRings(packets, 'public key');
}

function describe(key: Key): string {
  return key.isPrimary ? 'the primary key ' + key.keyIdHex : 'the subkey ' + key.keyIdHex;
}

/** Why `key` cannot sign now ("" when it can). Checks the secret's form, not the passphrase. */
export function signingProblem(ring: KeyRing, key: Key, now: i64): string {
  const primary = ring.primary;
  if (primary.revoked) return 'the key is revoked';
  if (primary.expiredAt(now)) return 'the key expired on ' + isoDate(primary.expiresAt);
  if (!key.isPrimary) {
    if (key.revoked) return describe(key) + ' is revoked';
    if (key.expiredAt(now)) return describe(key) + ' expired on ' + isoDate(key.expiresAt);
    if (key.selfSig == null) return describe(key) + ' has no binding signature';
  }
  if (!key.canSign) {
    const caps = key.capabilities();
    return (
      describe(key) +
      ' (' +
      key.algorithmName +
      ') is not a signing key' +
      (caps.length > 0 ? ' (it can: ' + caps.join(', ') + ')' : '')
    );
  }
  const problem = key.algorithmProblem;
  if (problem.length > 0) return problem.replace('the key', describe(key));
  if (now > 0 && now < key.created)
    return describe(key) + " was created in the future (check the computer's clock)";
  return secretPartProblem(key);
}

/**
 * Why the secret part of `key` cannot sign ("" when it can): from the secret
 * key packet at import, from what the import sealed or noted afterwards.
 */
export function secretPartProblem(key: Key): string {
  if (key.secretPart == null) {
    if (key.sealed.length > 0) return '';
    if (key.unsealed.length > 0) return key.unsealed;
    return describe(key) + ' has no secret part';
  }
  const protection = readProtection(key);
  if (protection == null) return Failure.message;
  if (protection.gnu == GNU_DUMMY)
    return (
      describe(key) +
      "'s secret part is not in this export (a GnuPG stub: exported with --export-secret-subkeys)"
    );
  if (protection.gnu == GNU_CARD) return describe(key) + "'s secret part is on a smartcard";
  return '';
}

/** A key_id parameter: 16 hex digits (key ID) or 40 (fingerprint); spaces and 0x allowed. */
export function normalizeKeyId(value: string): string {
  let text = value.replaceAll(' ', '').toUpperCase();
  if (text.startsWith('0X')) text = text.substring(2);
  if (text.length != 16 && text.length != 40) return '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46))) return '';
  }
  return text;
}

function matches(key: Key, wanted: string): bool {
  return wanted.length == 40 ? key.fingerprintHex == wanted : key.keyIdHex == wanted;
}

function refuse(problem: string): Key | null {
  fail(problem);
  return null;
}

/**
 * The (sub)key to sign with: `wanted` (normalized, "" for the default) or
 * the newest usable signing subkey, else the primary.
 */
export function selectSigningKey(ring: KeyRing, wanted: string, now: i64): Key | null {
  const keys = ring.all();
  if (wanted.length > 0) {
    for (let i = 0; i < keys.length; i++) {
      if (!matches(keys[i], wanted)) continue;
      const problem = signingProblem(ring, keys[i], now);
      return problem.length == 0 ? keys[i] : refuse(problem);
    }
    fail('the key has no (sub)key ' + wanted + ' (its key IDs: ' + keyIds(ring) + ')');
    return null;
  }
  // Candidates: signing subkeys, newest first (later in the block on a tie), then the primary.
  const candidates: Key[] = [];
  for (let i = ring.subkeys.length - 1; i >= 0; i--) {
    const sub = ring.subkeys[i];
    if (!sub.canSign) continue;
    candidates.push(sub);
    for (let at = candidates.length - 1; at > 0 && candidates[at - 1].created < sub.created; at--) {
      candidates[at] = candidates[at - 1];
      candidates[at - 1] = sub;
    }
  }
  if (ring.primary.canSign) candidates.push(ring.primary);
  if (candidates.length == 0) {
    if (ring.primary.revoked) return refuse('the key is revoked');
    return refuse('no (sub)key can sign');
  }
  let first = '';
  for (let i = 0; i < candidates.length; i++) {
    const problem = signingProblem(ring, candidates[i], now);
    if (problem.length == 0) return candidates[i];
    if (i == 0) first = problem;
  }
  return refuse(first);
}

function keyIds(ring: KeyRing): string {
  const keys = ring.all();
  const ids: string[] = [];
  for (let i = 0; i < keys.length; i++) ids.push(keys[i].keyIdHex);
  return ids.join(', ');
}
