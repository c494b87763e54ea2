import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GnuPG } from '../../support/gpg';
import {
  armor,
  dearmor,
  keyVersions,
  publicPartOf,
  relabelledAsAead,
  s2kUsages,
  withBadCrc,
  withPrimaryKeyVersion,
} from './openpgp-packets';
import { PgpCore, SIGN_DEFAULTS, sampleText, type SignData } from './pgp-core';

// Every key the plugin cannot use gets a precise error, never a signature:
// the save is refused with the plugin's message (main runs key_info on every
// save of a pgp_key), and the plugin itself says the same when asked to sign
// or describe the key straight through the plugin host.
//
// GnuPG 2.2 cannot make v5 or v6 keys nor AEAD-protected ones (and 2.4 is not
// available here): those are crafted from gpg's export (the version octet of
// the key packet; S2K usage 253) and re-armored with a correct CRC-24, or made
// by openpgp.js (OCB and GCM protection, as RFC 9580 gives v4 keys).

const PASSPHRASE = 'the right passphrase 1234';
const DAY = 86_400;

let maker: GnuPG;
let pgp: PgpCore;
let counter = 0;

interface Keys {
  plain: { armored: string; binary: Buffer };
  protectedKey: string;
  expired: string;
  expiredCreated: number;
  revoked: string;
  brainpool: string;
  secp256k1: string;
  dsa: string;
  publicKey: string;
}
let keys: Keys;

beforeAll(async () => {
  [maker, pgp] = await Promise.all([GnuPG.create('pgp-unsupported'), PgpCore.start()]);
  const gen = (userId: string, algorithm: Parameters<GnuPG['generateKey']>[0]['algorithm']) =>
    maker.generateKey({ userId: `${userId} <${userId}@custodian.test>`, algorithm });

  const plain = await gen('plain', 'ed25519');
  const protectedFpr = await maker.generateKey({
    userId: 'protected <protected@custodian.test>',
    algorithm: 'ed25519',
    passphrase: PASSPHRASE,
  });
  // Made 30 days ago, valid for one day.
  const expiredCreated = Math.floor(Date.now() / 1000) - 30 * DAY;
  const expired = await maker.generateKey({
    userId: 'expired <expired@custodian.test>',
    algorithm: 'ed25519',
    expire: '1d',
    fakedTime: expiredCreated,
  });
  const revoked = await gen('revoked', 'ed25519');
  await maker.importKey(await maker.storedRevocation(revoked));
  const [brainpool, secp256k1, dsa] = [
    await gen('brainpool', 'brainpoolP256r1'),
    await gen('secp256k1', 'secp256k1'),
    await gen('dsa', 'dsa2048'),
  ];
  keys = {
    plain: {
      armored: await maker.exportSecretKeyArmored(plain),
      binary: await maker.exportSecretKeyBinary(plain),
    },
    protectedKey: await maker.exportSecretKeyArmored(protectedFpr, PASSPHRASE),
    expired: await maker.exportSecretKeyArmored(expired),
    expiredCreated,
    revoked: await maker.exportSecretKeyArmored(revoked),
    brainpool: await maker.exportSecretKeyArmored(brainpool),
    secp256k1: await maker.exportSecretKeyArmored(secp256k1),
    dsa: await maker.exportSecretKeyArmored(dsa),
    publicKey: (await maker.exportPublicKey(plain)) as string,
  };
}, 300_000);

afterAll(async () => {
  await pgp?.close();
  await maker?.close();
});

interface Refusal {
  /** What main answers when the key is saved; the plugin's message unless main refuses first. */
  save: RegExp[];
  /** What the plugin answers to sign and key_info. */
  plugin: RegExp[];
}

/**
 * The save is refused (invalid_input, the message on the private_key
 * field), nothing is stored, and sign and key_info answer -1 with the message.
 */
async function expectRefused(
  fields: { private_key: string; passphrase?: string },
  refusal: Refusal,
  /** The field the form shows the refusal on: the one the message names, else the key. */
  field: 'private_key' | 'passphrase' = 'private_key',
): Promise<void> {
  const name = `refused-${++counter}`;
  const saved = await pgp.save(name, fields.private_key, fields.passphrase);
  expect('result' in saved).toBe(false);
  if (!('error' in saved)) return;
  expect(saved.error.code).toBe('invalid_input');
  for (const pattern of refusal.save) expect(saved.error.message).toMatch(pattern);
  expect(saved.error.fields?.[field]).toBe(saved.error.message);
  expect(await pgp.names()).not.toContain(name);

  for (const action of ['key_info', 'sign']) {
    const answer = await pgp.raw<SignData>(
      action,
      fields,
      action === 'sign' ? { data: sampleText(), ...SIGN_DEFAULTS } : {},
    );
    expect(answer.code).toBe(-1);
    expect(answer.data?.signature).toBeUndefined();
    expect(answer.error).toEqual(expect.any(String));
    expect((answer.error as string).length).toBeGreaterThan(15);
    for (const pattern of refusal.plugin) expect(answer.error).toMatch(pattern);
  }
}

const same = (...patterns: RegExp[]): Refusal => ({ save: patterns, plugin: patterns });

describe('passphrases', () => {
  it('a wrong passphrase', async () => {
    await expectRefused(
      { private_key: keys.protectedKey, passphrase: 'not the passphrase' },
      same(/passphrase/i, /wrong|incorrect|does not (unlock|match)/i),
      'passphrase',
    );
  });

  it('a protected key without a passphrase', async () => {
    await expectRefused(
      { private_key: keys.protectedKey },
      same(/passphrase/i, /protected|needs|required|no passphrase|without/i),
      'passphrase',
    );
  });

  it('the right passphrase saves and signs (the same key, for contrast)', async () => {
    await pgp.add('protected-ok', keys.protectedKey, PASSPHRASE);
    expect((await pgp.run('sign', 'protected-ok', { data: 'x' })).code).toBe(0);
  });
});

describe('keys that may no longer sign', () => {
  it('an expired key (made with gpg --faked-system-time, valid one day)', async () => {
    await expectRefused({ private_key: keys.expired }, same(/expired/i));
  });

  it('the expired key signs when main’s clock is inside its validity: expiry follows context.now', async () => {
    const answer = await pgp.raw<SignData>(
      'sign',
      { private_key: keys.expired },
      { data: 'x', ...SIGN_DEFAULTS },
      keys.expiredCreated + 3600,
    );
    expect(answer.error ?? null).toBeNull();
    expect(answer.code).toBe(0);
  });

  it('a revoked key (gpg’s own revocation certificate imported, then exported again)', async () => {
    const packets = await maker.listPackets(keys.revoked);
    expect(packets).toMatch(/sigclass 0x20/); // the key revocation is in the export
    await expectRefused({ private_key: keys.revoked }, same(/revoked/i));
  });
});

describe('keys of a kind the plugin does not read', () => {
  it('a v5 key (the key packet’s version octet set to 5)', async () => {
    const v5 = withPrimaryKeyVersion(keys.plain.binary, 5);
    expect(keyVersions(v5)[0]).toBe(5);
    await expectRefused(
      { private_key: armor('PRIVATE KEY BLOCK', v5) },
      same(/\b(v5|version 5)\b/i),
    );
  });

  it('a v6 key (the key packet’s version octet set to 6)', async () => {
    const v6 = withPrimaryKeyVersion(keys.plain.binary, 6);
    expect(keyVersions(v6)[0]).toBe(6);
    await expectRefused(
      { private_key: armor('PRIVATE KEY BLOCK', v6) },
      same(/\b(v6|version 6)\b/i),
    );
  });

  it('an unlisted curve: brainpoolP256r1 (gpg made it)', async () => {
    await expectRefused(
      { private_key: keys.brainpool },
      same(/curve/i, /brainpoolP256r1|1\.3\.36\.3\.3\.2\.8\.1\.1\.7/i),
    );
  });

  it('an unlisted curve: secp256k1 (gpg made it)', async () => {
    await expectRefused(
      { private_key: keys.secp256k1 },
      same(/curve/i, /secp256k1|1\.3\.132\.0\.10/i),
    );
  });

  it('an unlisted algorithm: DSA (gpg made it)', async () => {
    await expectRefused({ private_key: keys.dsa }, same(/\bDSA\b|algorithm 17/i));
  });
});

describe('AEAD-protected keys', () => {
  for (const [label, aead, pattern] of [
    ['OCB', openpgp.enums.aead.ocb, /OCB/],
    ['GCM', openpgp.enums.aead.gcm, /GCM/],
  ] as const) {
    it(`${label} (made by openpgp.js: S2K usage 253)`, async () => {
      const privateKey = await openpgp.readPrivateKey({ binaryKey: keys.plain.binary });
      const encrypted = await openpgp.encryptKey({
        privateKey,
        passphrase: PASSPHRASE,
        config: { aeadProtect: true, preferredAEADAlgorithm: aead },
      });
      const armored = encrypted.armor();
      expect(s2kUsages(dearmor(armored))).toEqual([253]);
      await expectRefused({ private_key: armored, passphrase: PASSPHRASE }, same(pattern));
    });
  }

  it('gpg’s export relabelled S2K usage 253 with OCB (crafted)', async () => {
    const crafted = relabelledAsAead(dearmor(keys.protectedKey), 2);
    expect(s2kUsages(crafted)).toEqual([253]);
    await expectRefused(
      { private_key: armor('PRIVATE KEY BLOCK', crafted), passphrase: PASSPHRASE },
      same(/OCB|AEAD/),
    );
  });
});

describe('blocks that hold no usable secret key', () => {
  it('a public key block pasted instead: refused by the form, and by the plugin', async () => {
    const name = 'public-pasted';
    const saved = await pgp.save(name, keys.publicKey);
    expect('error' in saved && saved.error.code).toBe('invalid_input');
    expect('error' in saved && saved.error.message).toMatch(/secret key block/i);
    expect(await pgp.names()).not.toContain(name);
    const answer = await pgp.raw('key_info', { private_key: keys.publicKey });
    expect(answer.code).toBe(-1);
    expect(answer.error).toMatch(/public key/i);
  });

  it('public key packets in a PRIVATE KEY BLOCK armor', async () => {
    const publicOnly = armor('PRIVATE KEY BLOCK', publicPartOf(keys.plain.binary));
    await expectRefused({ private_key: publicOnly }, same(/public key|no secret key/i));
  });

  it('armor with a bad CRC', async () => {
    const bad = withBadCrc(keys.plain.armored);
    expect(bad).not.toBe(keys.plain.armored);
    await expectRefused({ private_key: bad }, same(/CRC|checksum/i));
  });

  it('garbage between the armor lines (not base64)', async () => {
    const garbage =
      '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nthis is not a key, just *** words !!!\n-----END PGP PRIVATE KEY BLOCK-----\n';
    await expectRefused({ private_key: garbage }, same(/armor|base64/i));
  });

  it('well-formed armor around bytes that are no OpenPGP packets', async () => {
    const noise = armor('PRIVATE KEY BLOCK', Buffer.from('plain words, not packets at all'));
    await expectRefused({ private_key: noise }, same(/packet|OpenPGP|not a key|malformed/i));
  });

  it('a truncated key (half of gpg’s export, re-armored with a correct CRC)', async () => {
    const half = keys.plain.binary.subarray(0, Math.floor(keys.plain.binary.length / 2));
    await expectRefused(
      { private_key: armor('PRIVATE KEY BLOCK', half) },
      same(/truncated|short|incomplete|length|end of/i),
    );
  });
});
