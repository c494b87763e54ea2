import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GnuPG } from '../../support/gpg';
import {
  PgpCore,
  capabilityLetters,
  hex,
  sampleText,
  unixOf,
  type CleartextData,
  type KeyInfo,
  type PublicKeyData,
  type SignData,
  type VerifyData,
} from './pgp-core';

// Which key signs: a signing subkey when the primary key can only certify, the
// newest signing subkey when there are several, never an encryption subkey,
// and the (sub)key whose key ID or fingerprint the caller names. gpg says
// which key made each signature (VALIDSIG: the signer, then its primary).

const TEXT = sampleText('Subkeys');
const PASSPHRASE = 'subkeys passphrase 5678';
const DAY = 86_400;

let maker: GnuPG;
let verifier: GnuPG;
let pgp: PgpCore;

/** A primary key that can only certify, with one Ed25519 signing subkey; protected. */
const certOnly = { primary: '', sub: '', subKeyId: '', primaryKeyId: '' };
/** A primary that signs (3 days old), signing subkeys 2 days (Ed25519) and 1 day (P-256) old, and an encryption subkey made now. */
const several = {
  primary: '',
  older: '',
  newer: '',
  encrypt: '',
  keyIds: new Map<string, string>(),
};

beforeAll(async () => {
  [maker, verifier, pgp] = await Promise.all([
    GnuPG.create('pgp-subkeys'),
    GnuPG.create('pgp-subkeys-verifier'),
    PgpCore.start(),
  ]);

  certOnly.primary = await maker.generateKey({
    userId: 'Certify only <certify@custodian.test>',
    algorithm: 'ed25519',
    usage: 'cert',
    passphrase: PASSPHRASE,
  });
  certOnly.sub = await maker.addSubkey(certOnly.primary, {
    algorithm: 'ed25519',
    usage: 'sign',
    passphrase: PASSPHRASE,
  });
  const certKeys = await maker.keys(certOnly.primary);
  certOnly.primaryKeyId = certKeys.find((k) => k.primary)?.keyId ?? '';
  certOnly.subKeyId = certKeys.find((k) => k.fingerprint === certOnly.sub)?.keyId ?? '';

  const now = Math.floor(Date.now() / 1000);
  several.primary = await maker.generateKey({
    userId: 'Several subkeys <several@custodian.test>',
    algorithm: 'ed25519',
    usage: 'sign',
    fakedTime: now - 3 * DAY,
  });
  several.older = await maker.addSubkey(several.primary, {
    algorithm: 'ed25519',
    usage: 'sign',
    fakedTime: now - 2 * DAY,
  });
  several.newer = await maker.addSubkey(several.primary, {
    algorithm: 'nistp256/ecdsa',
    usage: 'sign',
    fakedTime: now - DAY,
  });
  // Made last, so the newest subkey of all: it encrypts only.
  several.encrypt = await maker.addSubkey(several.primary, { algorithm: 'cv25519', usage: 'encr' });
  const all = await maker.keys(several.primary);
  for (const k of all) several.keyIds.set(k.fingerprint, k.keyId);

  for (const fpr of [certOnly.primary, several.primary])
    await verifier.importKey(await maker.exportPublicKey(fpr));
  await pgp.add(
    'cert-only',
    await maker.exportSecretKeyArmored(certOnly.primary, PASSPHRASE),
    PASSPHRASE,
  );
}, 300_000);

afterAll(async () => {
  await pgp?.close();
  await maker?.close();
  await verifier?.close();
});

describe('a primary key that can only certify, with a signing subkey', () => {
  it('key_info lists the primary (certify) and the subkey (sign)', async () => {
    const info = await pgp.ok<KeyInfo>('key_info', 'cert-only');
    expect(hex(info.fingerprint)).toBe(certOnly.primary);
    expect(capabilityLetters(info.capabilities)).toBe('c');
    expect(info.subkeys).toHaveLength(1);
    const [sub] = info.subkeys;
    expect(hex(sub?.fingerprint)).toBe(certOnly.sub);
    expect(hex(sub?.key_id)).toBe(certOnly.subKeyId);
    expect(capabilityLetters(sub?.capabilities)).toBe('s');
  });

  it('signs with the subkey: gpg reports the subkey, and its primary', async () => {
    const sig = await pgp.ok<SignData>('sign', 'cert-only', { data: TEXT });
    expect(hex(sig.fingerprint)).toBe(certOnly.sub);
    expect(hex(sig.key_id)).toBe(certOnly.subKeyId);
    const verdict = await verifier.verifyDetached(sig.signature, TEXT);
    expect(verdict.status).toMatch(/GOODSIG/);
    expect(verdict.signerFingerprint).toBe(certOnly.sub);
    expect(verdict.primaryFingerprint).toBe(certOnly.primary);
  });

  it('makes cleartext signatures with the subkey', async () => {
    const signed = await pgp.ok<CleartextData>('sign_cleartext', 'cert-only', { text: TEXT });
    expect(hex(signed.fingerprint)).toBe(certOnly.sub);
    const verdict = await verifier.verifyCleartext(signed.message);
    expect(verdict.good).toBe(true);
    expect(verdict.signerFingerprint).toBe(certOnly.sub);
  });

  it('verifies gpg’s signature by the subkey', async () => {
    const signature = await maker.detachSign(TEXT, {
      localUser: `${certOnly.sub}!`,
      passphrase: PASSPHRASE,
    });
    const gpgSays = await verifier.verifyDetached(signature, TEXT);
    expect(gpgSays.signerFingerprint).toBe(certOnly.sub);
    const result = await pgp.ok<VerifyData>('verify', 'cert-only', { data: TEXT, signature });
    expect(result.valid).toBe(true);
    expect(hex(result.fingerprint)).toBe(certOnly.sub);
    expect(unixOf(result.created)).toBe(gpgSays.created);
  });

  it('exports a public key gpg imports with the subkey usable: it verifies the subkey’s signatures', async () => {
    const exported = await pgp.ok<PublicKeyData>('get_public_key', 'cert-only');
    const fresh = await GnuPG.create('pgp-subkeys-import');
    try {
      expect(await fresh.importedFingerprints(exported.public_key)).toContain(certOnly.primary);
      const pub = await fresh.run([
        '--with-colons',
        '--with-subkey-fingerprints',
        '--list-keys',
        certOnly.primary,
      ]);
      expect(pub.stdout.toString('utf8')).toContain(certOnly.sub);
      // gpg uses a signing subkey only with its back-signature (0x19) in the binding.
      const sig = await pgp.ok<SignData>('sign', 'cert-only', { data: TEXT });
      const verdict = await fresh.verifyDetached(sig.signature, TEXT);
      expect(verdict.status).toMatch(/GOODSIG/);
      expect(verdict.signerFingerprint).toBe(certOnly.sub);
    } finally {
      await fresh.close();
    }
  });

  it('refuses key_id naming the primary, which cannot sign', async () => {
    const answer = await pgp.run('sign', 'cert-only', {
      data: TEXT,
      key_id: certOnly.primaryKeyId,
    });
    expect(answer.code).toBe(-1);
    expect(answer.error).toMatch(/sign/i);
    expect(answer.error).toContain(certOnly.primaryKeyId);
  });
});

describe('a primary that signs, two signing subkeys and an encryption subkey', () => {
  beforeAll(async () => {
    await pgp.add('several', await maker.exportSecretKeyArmored(several.primary));
  });

  /** Signs with the given key_id (or none) and answers who gpg says signed. */
  async function signer(keyId?: string): Promise<string | undefined> {
    const sig = await pgp.ok<SignData>('sign', 'several', {
      data: TEXT,
      ...(keyId ? { key_id: keyId } : {}),
    });
    const verdict = await verifier.verifyDetached(sig.signature, TEXT);
    expect(verdict.status).toMatch(/GOODSIG/);
    expect(verdict.primaryFingerprint).toBe(several.primary);
    expect(hex(sig.fingerprint)).toBe(verdict.signerFingerprint);
    return verdict.signerFingerprint;
  }

  it('key_info lists every subkey with its capabilities and creation time', async () => {
    const info = await pgp.ok<KeyInfo>('key_info', 'several');
    const gpgKeys = await maker.keys(several.primary);
    expect(capabilityLetters(info.capabilities)).toBe('cs');
    expect(info.subkeys.map((s) => hex(s.fingerprint)).sort()).toEqual(
      gpgKeys
        .filter((k) => !k.primary)
        .map((k) => k.fingerprint)
        .sort(),
    );
    for (const sub of info.subkeys) {
      const gpgKey = gpgKeys.find((k) => k.fingerprint === hex(sub.fingerprint));
      expect(capabilityLetters(sub.capabilities)).toBe(gpgKey?.capabilities);
      expect(unixOf(sub.created)).toBe(gpgKey?.created);
    }
  });

  it('signs with the newest signing subkey by default, not the newer encryption subkey', async () => {
    expect(several.encrypt).not.toBe('');
    expect(await signer()).toBe(several.newer);
  });

  it('signs with the subkey whose key ID (16 hex digits) is given', async () => {
    expect(await signer(several.keyIds.get(several.older))).toBe(several.older);
  });

  it('signs with the subkey whose fingerprint is given', async () => {
    expect(await signer(several.older)).toBe(several.older);
  });

  it('signs with the primary key when its key ID is given', async () => {
    expect(await signer(several.keyIds.get(several.primary))).toBe(several.primary);
  });

  it('makes a cleartext signature with the key_id given', async () => {
    const signed = await pgp.ok<CleartextData>('sign_cleartext', 'several', {
      text: TEXT,
      key_id: several.older,
    });
    const verdict = await verifier.verifyCleartext(signed.message);
    expect(verdict.good).toBe(true);
    expect(verdict.signerFingerprint).toBe(several.older);
  });

  it('refuses a key_id that names the encryption subkey', async () => {
    const keyId = several.keyIds.get(several.encrypt) as string;
    const answer = await pgp.run('sign', 'several', { data: TEXT, key_id: keyId });
    expect(answer.code).toBe(-1);
    expect(answer.error).toMatch(/sign/i);
    expect(answer.error).toContain(keyId);
  });

  it('refuses a key_id that is not in the key', async () => {
    const answer = await pgp.run('sign', 'several', { data: TEXT, key_id: '0123456789ABCDEF' });
    expect(answer.code).toBe(-1);
    expect(answer.error).toContain('0123456789ABCDEF');
  });
});

describe('subkeys that may no longer sign', () => {
  const now = Math.floor(Date.now() / 1000);
  const keysOf = { expired: { primary: '', sub: '' }, revoked: { primary: '', sub: '' } };

  beforeAll(async () => {
    // A primary that signs, 20 days old, and a newer signing subkey that expired (1 day, 10 days ago).
    keysOf.expired.primary = await maker.generateKey({
      userId: 'Expired subkey <expired-sub@custodian.test>',
      algorithm: 'ed25519',
      fakedTime: now - 20 * DAY,
    });
    keysOf.expired.sub = await maker.addSubkey(keysOf.expired.primary, {
      algorithm: 'ed25519',
      usage: 'sign',
      expire: '1d',
      fakedTime: now - 10 * DAY,
    });
    // A primary that signs, a day old, and a newer signing subkey gpg revoked.
    keysOf.revoked.primary = await maker.generateKey({
      userId: 'Revoked subkey <revoked-sub@custodian.test>',
      algorithm: 'ed25519',
      fakedTime: now - DAY,
    });
    keysOf.revoked.sub = await maker.addSubkey(keysOf.revoked.primary, {
      algorithm: 'ed25519',
      usage: 'sign',
    });
    await maker.revokeSubkey(keysOf.revoked.primary, keysOf.revoked.sub);
    for (const [name, { primary }] of Object.entries(keysOf)) {
      await verifier.importKey(await maker.exportPublicKey(primary));
      await pgp.add(`sub-${name}`, await maker.exportSecretKeyArmored(primary));
    }
  });

  it.each(['expired', 'revoked'] as const)(
    'a %s signing subkey is passed over: the primary signs, and gpg says good',
    async (kind) => {
      const sig = await pgp.ok<SignData>('sign', `sub-${kind}`, { data: TEXT });
      const verdict = await verifier.verifyDetached(sig.signature, TEXT);
      expect(verdict.status).toMatch(/GOODSIG/);
      expect(verdict.good).toBe(true);
      expect(verdict.signerFingerprint).toBe(keysOf[kind].primary);
    },
  );

  it.each(['expired', 'revoked'] as const)(
    'key_id naming the %s subkey is refused, saying why',
    async (kind) => {
      const answer = await pgp.run('sign', `sub-${kind}`, {
        data: TEXT,
        key_id: keysOf[kind].sub,
      });
      expect(answer.code).toBe(-1);
      expect(answer.error).toMatch(new RegExp(kind, 'i'));
    },
  );

  it('key_info marks the subkeys as gpg does', async () => {
    const expired = await pgp.ok<KeyInfo>('key_info', 'sub-expired');
    const expiredSub = expired.subkeys.find((s) => hex(s.fingerprint) === keysOf.expired.sub);
    const gpgSub = (await maker.keys(keysOf.expired.primary)).find((k) => !k.primary);
    expect(unixOf(expiredSub?.expires)).toBe(gpgSub?.expires);
    const revoked = await pgp.ok<KeyInfo>('key_info', 'sub-revoked');
    expect(revoked.revoked).toBe(false);
    expect(revoked.subkeys.find((s) => hex(s.fingerprint) === keysOf.revoked.sub)?.revoked).toBe(
      true,
    );
  });
});

describe('a key with two user IDs and an expiry date', () => {
  let fingerprint = '';
  const first = 'Two IDs <two@custodian.test>';
  const second = 'Two IDs (work) <two@work.custodian.test>';

  beforeAll(async () => {
    fingerprint = await maker.generateKey({ userId: first, algorithm: 'rsa2048', expire: '2y' });
    await maker.addUserId(fingerprint, second);
    await verifier.importKey(await maker.exportPublicKey(fingerprint));
  });

  it('saves with both user IDs and the expiry gpg set, and signs', async () => {
    const saved = await pgp.add('two-ids', await maker.exportSecretKeyArmored(fingerprint));
    const info = saved.inspection as KeyInfo;
    const [gpgKey] = await maker.keys(fingerprint);
    expect(info.user_ids).toEqual([first, second]);
    expect(unixOf(info.expires)).toBe(gpgKey?.expires);
    expect(gpgKey?.expires).toBeGreaterThan(nowSeconds());
    const sig = await pgp.ok<SignData>('sign', 'two-ids', { data: TEXT });
    expect((await verifier.verifyDetached(sig.signature, TEXT)).good).toBe(true);
  });

  it('exports a public key that carries both user IDs into gpg', async () => {
    const exported = await pgp.ok<PublicKeyData>('get_public_key', 'two-ids');
    const fresh = await GnuPG.create('pgp-uids-import');
    try {
      expect(await fresh.importedFingerprints(exported.public_key)).toContain(fingerprint);
      const listed = await fresh.run(['--with-colons', '--list-keys', fingerprint]);
      const uids = listed.stdout
        .toString('utf8')
        .split('\n')
        .filter((l) => l.startsWith('uid:'))
        .map((l) => l.split(':')[9]);
      expect(uids.sort()).toEqual([first, second].sort());
      const [pub] = listed.stdout
        .toString('utf8')
        .split('\n')
        .filter((l) => l.startsWith('pub:'));
      // The expiry survives the export (it lives in the self-signatures).
      expect(Number(pub?.split(':')[6])).toBe((await maker.keys(fingerprint))[0]?.expires);
    } finally {
      await fresh.close();
    }
  });
});

const nowSeconds = () => Math.floor(Date.now() / 1000);
