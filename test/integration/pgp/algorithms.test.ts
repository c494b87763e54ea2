import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SavedCredential } from '../../../shared/credentials';
import type { Envelope } from '../../../shared/ipc/envelope';
import { GnuPG, HASH_IDS, type GpgAlgorithm, type GpgKey } from '../../support/gpg';
import {
  PgpCore,
  capabilityLetters,
  flipOneByte,
  hex,
  sampleBytes,
  sampleText,
  unixOf,
  type CleartextData,
  type KeyInfo,
  type PublicKeyData,
  type SignData,
  type VerifyData,
} from './pgp-core';

// Every supported algorithm, unprotected and protected with a passphrase as
// GnuPG 2.2 exports it (protection.test.ts covers the other S2K variants):
// keys made by gpg, added through the core the way a person adds them,
// signatures made by the plugin verified by `gpg --verify`, signatures made
// by gpg verified by the plugin, and the plugin's public key read by gpg.

interface Algorithm {
  gpg: GpgAlgorithm;
  /** OpenPGP public-key algorithm: 1 RSA, 19 ECDSA, 22 EdDSA. */
  id: number;
  /** What key_info's algorithm must name. */
  names: RegExp[];
}
const ALGORITHMS: Algorithm[] = [
  { gpg: 'ed25519', id: 22, names: [/ed25519/i] },
  { gpg: 'rsa2048', id: 1, names: [/rsa/i, /2048/] },
  { gpg: 'rsa3072', id: 1, names: [/rsa/i, /3072/] },
  { gpg: 'rsa4096', id: 1, names: [/rsa/i, /4096/] },
  { gpg: 'nistp256', id: 19, names: [/ecdsa/i, /p-?256/i] },
  { gpg: 'nistp384', id: 19, names: [/ecdsa/i, /p-?384/i] },
];

interface Variant extends Algorithm {
  label: string;
  protect: boolean;
}
const VARIANTS: Variant[] = ALGORITHMS.flatMap((a) => [
  { ...a, label: `${a.gpg}`, protect: false },
  { ...a, label: `${a.gpg}, passphrase`, protect: true },
]);

interface Made {
  userId: string;
  key: GpgKey;
  saved: Envelope<SavedCredential>;
  credential: string;
}

/** One passphrase for this run's protected keys; it is never printed. */
const PASSPHRASE = `${randomBytes(18).toString('base64url')}-ä`;

let signer: GnuPG; // holds the secret keys
let verifier: GnuPG; // only gpg's exports of the public keys
let pgp: PgpCore;
const made = new Map<string, Made>();
let exportInfo = '';

beforeAll(async () => {
  [signer, verifier, pgp] = await Promise.all([
    GnuPG.create('pgp-signer'),
    GnuPG.create('pgp-verifier'),
    PgpCore.start(),
  ]);
  // Keys are made once per run and shared by every test below (RSA-4096 is slow).
  for (const [index, v] of VARIANTS.entries()) {
    const userId = `Key ${index} ${v.gpg}${v.protect ? ' protected' : ''} <key${index}@custodian.test>`;
    const passphrase = v.protect ? PASSPHRASE : undefined;
    const fingerprint = await signer.generateKey({ userId, algorithm: v.gpg, passphrase });
    const key = (await signer.keys(fingerprint)).find((k) => k.primary);
    if (!key) throw new Error(`gpg lists no key ${fingerprint}`);
    const secret = await signer.exportSecretKeyArmored(fingerprint, passphrase);
    if (v.protect && !exportInfo) exportInfo = await signer.listPackets(secret);
    await verifier.importKey(await signer.exportPublicKey(fingerprint));
    const credential = `pgp-${index}`;
    const saved = await pgp.save(credential, secret, passphrase);
    made.set(v.label, { userId, key, saved, credential });
  }
}, 300_000);

afterAll(async () => {
  await pgp?.close();
  await signer?.close();
  await verifier?.close();
});

function keyOf(v: Variant): Made {
  const m = made.get(v.label);
  if (!m) throw new Error(`no key was made for ${v.label}`);
  if ('error' in m.saved)
    throw new Error(
      `saving ${v.label} was refused: ${m.saved.error.code}: ${m.saved.error.message}`,
    );
  return m;
}

const TEXT = sampleText();
const BYTES = sampleBytes();

/**
 * The hash a signature is made with when `requested` is asked for: ECDSA
 * needs a digest at least the curve's size (RFC 9580 5.2.3.2), so P-384 signs
 * SHA-384 when SHA-256 is asked (and says so); gpg 2.2 refuses that pairing
 * outright ("signing failed: Invalid length") and picks SHA-384 by default.
 */
function hashFor(v: Variant, requested: 'sha256' | 'sha512'): 'sha256' | 'sha384' | 'sha512' {
  return v.gpg === 'nistp384' && requested === 'sha256' ? 'sha384' : requested;
}

describe('GnuPG 2.2’s export of a protected key', () => {
  it('is iterated and salted S2K, SHA-1, AES-128 (CFB, SHA-1 checksum): what the matrix below reads', () => {
    // Recorded from gpg 2.2.40; GnuPG 2.4 is not available here.
    expect(exportInfo).toMatch(/iter\+salt S2K, algo: 7, SHA1 protection, hash: 2/);
    expect(exportInfo).toMatch(/protect count: \d+/);
  });
});

describe.each(VARIANTS)('$label', (v) => {
  it('saves through the core, and the key_info shown on save is what gpg says', () => {
    const { key, saved, userId } = keyOf(v);
    const info = (saved as { result: SavedCredential }).result.inspection as KeyInfo;
    expect(hex(info.fingerprint)).toBe(key.fingerprint);
    expect(hex(info.key_id)).toBe(key.keyId);
    for (const name of v.names) expect(info.algorithm).toMatch(name);
    expect(unixOf(info.created)).toBe(key.created);
    expect(unixOf(info.expires)).toBeNull();
    expect(info.user_ids).toEqual([userId]);
    expect(capabilityLetters(info.capabilities)).toBe('cs');
    expect(info.revoked).toBe(false);
    expect(info.protected).toBe(v.protect);
    expect(info.subkeys).toEqual([]);
  });

  it('key_info as an action answers the same fingerprint as gpg --with-colons --fingerprint', async () => {
    const { key, credential } = keyOf(v);
    const info = await pgp.ok<KeyInfo>('key_info', credential);
    expect(hex(info.fingerprint)).toBe(await signer.fingerprintOf(key.fingerprint));
  });

  it('signs text (armored, SHA-256 by default); gpg --verify says good, this key, the hash', async () => {
    const { key, credential } = keyOf(v);
    const before = Math.floor(Date.now() / 1000);
    const sig = await pgp.ok<SignData>('sign', credential, { data: TEXT });
    expect(sig.signature).toMatch(/^-----BEGIN PGP SIGNATURE-----/);
    expect(hex(sig.fingerprint)).toBe(key.fingerprint);
    expect(hex(sig.key_id)).toBe(key.keyId);
    expect(sig.hash).toBe(hashFor(v, 'sha256'));
    const verdict = await verifier.verifyDetached(sig.signature, Buffer.from(TEXT, 'utf8'));
    expect(verdict.status).toMatch(/GOODSIG/);
    expect(verdict.good).toBe(true);
    expect(verdict.signerFingerprint).toBe(key.fingerprint);
    expect(verdict.hashAlgorithm).toBe(HASH_IDS[hashFor(v, 'sha256')]);
    expect(verdict.created).toBe(unixOf(sig.created));
    expect(verdict.created).toBeGreaterThanOrEqual(before - 1);
    expect(verdict.created).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 1);
  });

  it('signs binary (armor false: the signature as base64); gpg --verify says good', async () => {
    const { key, credential } = keyOf(v);
    const sig = await pgp.ok<SignData>('sign', credential, { data: TEXT, armor: false });
    expect(sig.signature).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    const binary = Buffer.from(sig.signature, 'base64');
    expect(binary.readUInt8(0) & 0x80).toBe(0x80); // an OpenPGP packet, not armor
    const verdict = await verifier.verifyDetached(binary, Buffer.from(TEXT, 'utf8'));
    expect(verdict.status).toMatch(/GOODSIG/);
    expect(verdict.signerFingerprint).toBe(key.fingerprint);
  });

  it('signs with SHA-512; gpg --verify says good and SHA-512', async () => {
    const { key, credential } = keyOf(v);
    const sig = await pgp.ok<SignData>('sign', credential, { data: TEXT, hash: 'sha512' });
    expect(sig.hash).toBe('sha512');
    const verdict = await verifier.verifyDetached(sig.signature, Buffer.from(TEXT, 'utf8'));
    expect(verdict.status).toMatch(/GOODSIG/);
    expect(verdict.signerFingerprint).toBe(key.fingerprint);
    expect(verdict.hashAlgorithm).toBe(HASH_IDS.sha512);
  });

  it('signs base64 data (every byte value); gpg --verify over the bytes says good', async () => {
    const { key, credential } = keyOf(v);
    const sig = await pgp.ok<SignData>('sign', credential, {
      data: BYTES.toString('base64'),
      encoding: 'base64',
    });
    const verdict = await verifier.verifyDetached(sig.signature, BYTES);
    expect(verdict.status).toMatch(/GOODSIG/);
    expect(verdict.signerFingerprint).toBe(key.fingerprint);
    expect(verdict.signatureClass).toBe('00');
    // The same signature is not good for other bytes.
    expect((await verifier.verifyDetached(sig.signature, flipOneByte(BYTES))).bad).toBe(true);
  });

  it('signs cleartext (dash-escaped lines, trailing spaces); gpg --verify says good', async () => {
    const { key, credential } = keyOf(v);
    const text = `${TEXT}- a line that starts with a dash\n-----BEGIN PGP SIGNATURE-----\nFrom the start   \ntrailing tab\t\nlast line`;
    for (const hash of ['sha256', 'sha512'] as const) {
      const signed = await pgp.ok<CleartextData>('sign_cleartext', credential, { text, hash });
      expect(signed.message).toMatch(
        /^-----BEGIN PGP SIGNED MESSAGE-----\r?\nHash: SHA(256|384|512)\r?\n/,
      );
      expect(hex(signed.fingerprint)).toBe(key.fingerprint);
      expect(hex(signed.key_id)).toBe(key.keyId);
      const verdict = await verifier.verifyCleartext(signed.message);
      expect(verdict.status).toMatch(/GOODSIG/);
      expect(verdict.signerFingerprint).toBe(key.fingerprint);
      expect(verdict.hashAlgorithm).toBe(HASH_IDS[hashFor(v, hash)]);
      expect(verdict.signatureClass).toBe('01');
    }
  });

  it('verifies gpg’s detached signatures, armored and binary, with the signer and time', async () => {
    const { key, credential } = keyOf(v);
    const passphrase = v.protect ? PASSPHRASE : undefined;
    const armored = (await signer.detachSign(BYTES, {
      localUser: `${key.fingerprint}!`,
      passphrase,
    })) as string;
    const binary = (await signer.detachSign(BYTES, {
      localUser: `${key.fingerprint}!`,
      passphrase,
      armor: false,
      digest: 'SHA512',
    })) as Buffer;
    const pairs = [
      { forGpg: armored as string | Buffer, forPlugin: armored },
      { forGpg: binary, forPlugin: binary.toString('base64') },
    ];
    for (const { forGpg, forPlugin } of pairs) {
      const gpgSays = await verifier.verifyDetached(forGpg, BYTES);
      expect(gpgSays.good).toBe(true);
      const result = await pgp.ok<VerifyData>('verify', credential, {
        data: BYTES.toString('base64'),
        encoding: 'base64',
        signature: forPlugin,
      });
      expect(result.valid).toBe(true);
      expect(hex(result.fingerprint)).toBe(key.fingerprint);
      expect(hex(result.key_id)).toBe(key.keyId);
      expect(unixOf(result.created)).toBe(gpgSays.created);
    }
  });

  it('verifies gpg’s cleartext-signed message', async () => {
    const { key, credential } = keyOf(v);
    const message = await signer.clearSign(`${TEXT}- dash line\n`, {
      localUser: `${key.fingerprint}!`,
      passphrase: v.protect ? PASSPHRASE : undefined,
    });
    const gpgSays = await verifier.verifyCleartext(message);
    expect(gpgSays.good).toBe(true);
    const result = await pgp.ok<VerifyData>('verify', credential, { message });
    expect(result.valid).toBe(true);
    expect(hex(result.fingerprint)).toBe(key.fingerprint);
    expect(unixOf(result.created)).toBe(gpgSays.created);
  });

  it('a changed byte in the message gives valid: false (detached and cleartext)', async () => {
    const { credential } = keyOf(v);
    const sig = await pgp.ok<SignData>('sign', credential, { data: TEXT });
    const changedText = TEXT.replace('signed', 'signEd');
    expect((await verifier.verifyDetached(sig.signature, changedText)).bad).toBe(true);
    const detached = await pgp.ok<VerifyData>('verify', credential, {
      data: changedText,
      signature: sig.signature,
    });
    expect(detached.valid).toBe(false);
    const clear = await pgp.ok<CleartextData>('sign_cleartext', credential, { text: TEXT });
    const tampered = clear.message.replace('signed by', 'signed bY');
    expect(tampered).not.toBe(clear.message);
    expect((await verifier.verifyCleartext(tampered)).bad).toBe(true);
    const cleartext = await pgp.ok<VerifyData>('verify', credential, { message: tampered });
    expect(cleartext.valid).toBe(false);
    // The untouched ones are valid.
    expect(
      (await pgp.ok<VerifyData>('verify', credential, { data: TEXT, signature: sig.signature }))
        .valid,
    ).toBe(true);
    expect((await pgp.ok<VerifyData>('verify', credential, { message: clear.message })).valid).toBe(
      true,
    );
  });

  it('exports a public key that gpg imports with the same fingerprint, and verifies with', async () => {
    const { key, credential } = keyOf(v);
    const exported = await pgp.ok<PublicKeyData>('get_public_key', credential);
    expect(exported.public_key).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    expect(exported.public_key).not.toMatch(/PRIVATE/);
    expect(hex(exported.fingerprint)).toBe(key.fingerprint);
    const fresh = await GnuPG.create('pgp-import');
    try {
      // gpg imports a key only with a valid self-signature on its user ID.
      expect(await fresh.importedFingerprints(exported.public_key)).toContain(key.fingerprint);
      expect(await fresh.fingerprintOf(key.fingerprint)).toBe(key.fingerprint);
      const listed = await fresh.run(['--with-colons', '--list-keys', key.fingerprint]);
      expect(listed.stdout.toString('utf8')).toMatch(/^uid:[^:]*:/m);
      const packets = await fresh.listPackets(exported.public_key);
      expect(packets).not.toMatch(/secret key packet/);
      const sig = await pgp.ok<SignData>('sign', credential, { data: TEXT });
      expect((await fresh.verifyDetached(sig.signature, TEXT)).good).toBe(true);
    } finally {
      await fresh.close();
    }
  });
});

describe('verify against a public key given in the call', () => {
  const first = VARIANTS[0] as Variant;
  const other = VARIANTS.find((v) => v.gpg === 'rsa3072' && !v.protect) as Variant;

  it('is valid for a signature by that key, checked against it instead of the stored key', async () => {
    const stored = keyOf(first);
    const signerKey = keyOf(other);
    const signature = await signer.detachSign(TEXT, { localUser: `${signerKey.key.fingerprint}!` });
    const publicKey = (await signer.exportPublicKey(signerKey.key.fingerprint)) as string;
    const result = await pgp.ok<VerifyData>('verify', stored.credential, {
      data: TEXT,
      signature,
      public_key: publicKey,
    });
    expect(result.valid).toBe(true);
    expect(hex(result.fingerprint)).toBe(signerKey.key.fingerprint);
  });

  it('is not valid against the stored key when another key made it', async () => {
    const stored = keyOf(first);
    const signerKey = keyOf(other);
    const signature = await signer.detachSign(TEXT, { localUser: `${signerKey.key.fingerprint}!` });
    const answer = await pgp.run<VerifyData>('verify', stored.credential, {
      data: TEXT,
      signature,
    });
    // Either a clean "not valid" naming the reason, or an error naming the key; never valid.
    if (answer.code === 0) {
      expect(answer.data?.valid).toBe(false);
      expect(answer.data?.reason ?? '').toMatch(/key/i);
    } else {
      expect(answer.error).toMatch(/key/i);
    }
  });
});

describe('gpg’s text signatures (--textmode, class 01)', () => {
  const unprotected = VARIANTS.filter((v) => !v.protect);

  it.each(unprotected)('verify through the plugin whatever the line ends ($label)', async (v) => {
    const { key, credential } = keyOf(v);
    const lf = 'first line\nsecond line\n\nlast line\n';
    const signature = await signer.detachSign(lf, {
      localUser: `${key.fingerprint}!`,
      textmode: true,
    });
    const gpgSays = await verifier.verifyDetached(signature, lf);
    expect(gpgSays.signatureClass).toBe('01');
    for (const data of [lf, lf.replace(/\n/g, '\r\n')]) {
      expect((await verifier.verifyDetached(signature, data)).good).toBe(true);
      const result = await pgp.ok<VerifyData>('verify', credential, { data, signature });
      expect(result.valid).toBe(true);
      expect(hex(result.fingerprint)).toBe(key.fingerprint);
    }
    const changed = await pgp.ok<VerifyData>('verify', credential, {
      data: lf.replace('second', 'Second'),
      signature,
    });
    expect(changed.valid).toBe(false);
  });
});
