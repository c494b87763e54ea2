import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GnuPG, type GpgAlgorithm } from '../../support/gpg';
import {
  armor,
  dearmor,
  protectSecretKey,
  s2kCount,
  s2kUsages,
  type Cipher,
  type S2kHash,
} from './openpgp-packets';
import {
  PgpCore,
  SIGN_DEFAULTS,
  hex,
  sampleText,
  type CleartextData,
  type KeyInfo,
  type SignData,
} from './pgp-core';

// Passphrase protection, as GnuPG exports it and in the other forms the issue
// lists (iterated and salted S2K with SHA-1 or SHA-256; AES-128, -192 or -256
// in CFB; SHA-1 checksum).
//
// What GnuPG 2.2 (2.2.40 here) does, recorded by the first tests: at export
// gpg-agent re-protects each key with AES-128 and SHA-1, whatever
// --s2k-cipher-algo / --s2k-digest-algo / --s2k-count say; only gpg-agent's
// own s2k-count option changes the count. GnuPG 2.4 is not available on this
// machine, so the SHA-256 and AES-192/256 forms are made here from gpg's
// unprotected export (openpgp-packets.ts protectSecretKey) and by openpgp.js,
// and each is first read back by gpg with the passphrase, which proves it is
// what GnuPG accepts, before the plugin gets it.

const TEXT = sampleText('Protected');
const PASSPHRASE = 'correct horse battery staple 42';
const UNICODE_PASSPHRASE = 'Pässwörd – ключ ✓ 鍵 🔑';

let maker: GnuPG; // makes the keys; agent defaults (calibrated s2k count)
let lowCount: GnuPG; // gpg-agent with s2k-count 65536
let checker: GnuPG; // reads crafted keys back with the passphrase
let verifier: GnuPG; // public keys only
let pgp: PgpCore;

interface Base {
  algorithm: GpgAlgorithm;
  fingerprint: string;
  unprotected: Buffer;
}
const bases: Base[] = [];
let counter = 0;

beforeAll(async () => {
  [maker, lowCount, checker, verifier, pgp] = await Promise.all([
    GnuPG.create('pgp-maker'),
    GnuPG.create('pgp-lowcount', { agentS2kCount: 65536 }),
    GnuPG.create('pgp-checker'),
    GnuPG.create('pgp-verifier'),
    PgpCore.start(),
  ]);
  // An Ed25519 key with gpg's default Curve25519 encryption subkey, and an RSA key.
  for (const [algorithm, usage] of [
    ['ed25519', 'default'],
    ['rsa2048', 'sign'],
  ] as const) {
    const fingerprint = await maker.generateKey({
      userId: `Base ${algorithm} <base-${algorithm}@custodian.test>`,
      algorithm,
      usage,
    });
    bases.push({
      algorithm,
      fingerprint,
      unprotected: await maker.exportSecretKeyBinary(fingerprint),
    });
    await verifier.importKey(await maker.exportPublicKey(fingerprint));
  }
}, 300_000);

afterAll(async () => {
  await pgp?.close();
  for (const home of [maker, lowCount, checker, verifier]) await home?.close();
});

/** Adds the key, signs detached and cleartext, and has gpg verify both. */
async function signsAndGpgVerifies(
  armored: string,
  passphrase: string,
  fingerprint: string,
): Promise<void> {
  const name = `protected-${++counter}`;
  const saved = await pgp.add(name, armored, passphrase);
  const info = saved.inspection as KeyInfo;
  expect(hex(info.fingerprint)).toBe(fingerprint);
  expect(info.protected).toBe(true);
  const sig = await pgp.ok<SignData>('sign', name, { data: TEXT });
  const verdict = await verifier.verifyDetached(sig.signature, TEXT);
  expect(verdict.status).toMatch(/GOODSIG/);
  expect(verdict.primaryFingerprint).toBe(fingerprint);
  // The Ed25519 base has a newer Curve25519 subkey: it encrypts only, so the primary signs.
  expect(verdict.signerFingerprint).toBe(fingerprint);
  const clear = await pgp.ok<CleartextData>('sign_cleartext', name, { text: TEXT });
  expect((await verifier.verifyCleartext(clear.message)).good).toBe(true);
}

/** gpg imports the crafted key with the passphrase and signs with it: the craft is sound. */
async function gpgReadsIt(armored: string, passphrase: string, fingerprint: string): Promise<void> {
  await checker.importKey(armored, passphrase);
  const sig = await checker.detachSign(TEXT, { localUser: `${fingerprint}!`, passphrase });
  expect((await verifier.verifyDetached(sig, TEXT)).good).toBe(true);
  await checker.run(['--delete-secret-and-public-key', fingerprint]);
}

async function wrongPassphraseRefused(armored: string): Promise<void> {
  const answer = await pgp.raw(
    'sign',
    { private_key: armored, passphrase: `${PASSPHRASE}!` },
    {
      data: TEXT,
      ...SIGN_DEFAULTS,
    },
  );
  expect(answer.code).toBe(-1);
  expect(answer.error).toMatch(/passphrase/i);
  expect(answer.data ?? null).toBeNull();
}

describe('what GnuPG 2.2 exports', () => {
  it('protects with AES-128 and SHA-1 at the gpg-agent’s calibrated count', async () => {
    const fingerprint = await maker.generateKey({
      userId: 'Default export <default@custodian.test>',
      algorithm: 'ed25519',
      passphrase: PASSPHRASE,
    });
    const armored = await maker.exportSecretKeyArmored(fingerprint, PASSPHRASE);
    const packets = await maker.listPackets(armored);
    expect(packets).toMatch(/iter\+salt S2K, algo: 7, SHA1 protection, hash: 2/);
    expect(s2kUsages(dearmor(armored))).toEqual([254]);
    await verifier.importKey(await maker.exportPublicKey(fingerprint));
    await signsAndGpgVerifies(armored, PASSPHRASE, fingerprint);
  });

  it('ignores --s2k-cipher-algo, --s2k-digest-algo and --s2k-count at export', async () => {
    const fingerprint = await maker.generateKey({
      userId: 'Asked for AES-256 <asked@custodian.test>',
      algorithm: 'ed25519',
      passphrase: PASSPHRASE,
    });
    const { stdout } = await maker.run(
      [
        '--s2k-digest-algo',
        'SHA256',
        '--s2k-cipher-algo',
        'AES256',
        '--s2k-count',
        '65536',
        '--armor',
        '--export-secret-keys',
        fingerprint,
      ],
      { passphrase: PASSPHRASE },
    );
    const armored = stdout.toString('utf8');
    const packets = await maker.listPackets(armored);
    // GnuPG 2.2 still wrote AES-128 (algo 7) and SHA-1 (hash 2), at the agent's count.
    expect(packets).toMatch(/iter\+salt S2K, algo: 7, SHA1 protection, hash: 2/);
    expect(packets).not.toMatch(/protect count: 65536 /);
    await verifier.importKey(await maker.exportPublicKey(fingerprint));
    await signsAndGpgVerifies(armored, PASSPHRASE, fingerprint);
  });

  it('uses gpg-agent’s s2k-count (65536 here) as the count', async () => {
    const fingerprint = await lowCount.generateKey({
      userId: 'Low count <low@custodian.test>',
      algorithm: 'rsa2048',
      passphrase: PASSPHRASE,
    });
    const armored = await lowCount.exportSecretKeyArmored(fingerprint, PASSPHRASE);
    const packets = await lowCount.listPackets(armored);
    expect(packets).toMatch(/iter\+salt S2K, algo: 7, SHA1 protection, hash: 2/);
    expect(packets).toMatch(/protect count: 65536 /);
    await verifier.importKey(await lowCount.exportPublicKey(fingerprint));
    await signsAndGpgVerifies(armored, PASSPHRASE, fingerprint);
  });

  it('a passphrase with non-ASCII characters (UTF-8, as gpg takes it)', async () => {
    const fingerprint = await maker.generateKey({
      userId: 'Unicode passphrase <unicode@custodian.test>',
      algorithm: 'nistp256',
      passphrase: UNICODE_PASSPHRASE,
    });
    const armored = await maker.exportSecretKeyArmored(fingerprint, UNICODE_PASSPHRASE);
    await verifier.importKey(await maker.exportPublicKey(fingerprint));
    await signsAndGpgVerifies(armored, UNICODE_PASSPHRASE, fingerprint);
    await wrongPassphraseRefused(armored);
  });
});

const CRAFTED: { hash: S2kHash; cipher: Cipher; countOctet: number }[] = [
  { hash: 'sha1', cipher: 'aes192', countOctet: 96 },
  { hash: 'sha1', cipher: 'aes256', countOctet: 96 },
  { hash: 'sha256', cipher: 'aes128', countOctet: 96 },
  { hash: 'sha256', cipher: 'aes192', countOctet: 96 },
  { hash: 'sha256', cipher: 'aes256', countOctet: 96 },
  { hash: 'sha256', cipher: 'aes256', countOctet: 255 },
];

describe.each(['ed25519', 'rsa2048'] as const)('%s protected as GnuPG 2.4 may', (algorithm) => {
  const base = () => {
    const found = bases.find((b) => b.algorithm === algorithm);
    if (!found) throw new Error(`no ${algorithm} base key`);
    return found;
  };

  it.each(CRAFTED)(
    'S2K $hash, $cipher, count octet $countOctet: gpg reads it, the plugin signs, gpg verifies',
    async ({ hash, cipher, countOctet }) => {
      const { fingerprint, unprotected } = base();
      const crafted = armor(
        'PRIVATE KEY BLOCK',
        protectSecretKey(unprotected, { passphrase: PASSPHRASE, cipher, hash, countOctet }),
      );
      const packets = await checker.listPackets(crafted);
      const cipherId = { aes128: 7, aes192: 8, aes256: 9 }[cipher];
      const hashId = { sha1: 2, sha256: 8 }[hash];
      expect(packets).toMatch(
        new RegExp(`iter\\+salt S2K, algo: ${cipherId}, SHA1 protection, hash: ${hashId}`),
      );
      expect(packets).toContain(`protect count: ${s2kCount(countOctet)} (${countOctet})`);
      await gpgReadsIt(crafted, PASSPHRASE, fingerprint);
      await signsAndGpgVerifies(crafted, PASSPHRASE, fingerprint);
      await wrongPassphraseRefused(crafted);
    },
  );

  it('openpgp.js’s protection (AES-256, SHA-256 S2K): gpg reads it, the plugin signs', async () => {
    const { fingerprint, unprotected } = base();
    const privateKey = await openpgp.readPrivateKey({ binaryKey: unprotected });
    const encrypted = await openpgp.encryptKey({ privateKey, passphrase: PASSPHRASE });
    const crafted = encrypted.armor();
    const packets = await checker.listPackets(crafted);
    expect(packets).toMatch(/iter\+salt S2K, algo: 9, SHA1 protection, hash: 8/);
    await gpgReadsIt(crafted, PASSPHRASE, fingerprint);
    await signsAndGpgVerifies(crafted, PASSPHRASE, fingerprint);
  });
});
