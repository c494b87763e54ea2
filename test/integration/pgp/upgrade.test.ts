import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultOf } from '../../support/core-fixture';
import { eventually } from '../../support/eventually';
import { GnuPG } from '../../support/gpg';
import { PgpCore, PLUGIN_BUILD, type SignData } from './pgp-core';

// Credentials saved under pgp-signing 1.0.0, which kept the armored key and
// its passphrase and read them on every call (no imported material), become
// what 2.0.0 saves: imported from their stored values when the vault is
// unlocked with the plugin loaded, or when the plugin is installed or
// updated; the passphrase, import_only now, is then no longer stored. A
// stored passphrase that no longer opens the key leaves the credential as it
// was, and its calls say to save it again.

const PASSPHRASE = `pass-${randomUUID()}`;
let gpg: GnuPG;
let pgp: PgpCore;
let armored = '';

beforeAll(async () => {
  [gpg, pgp] = await Promise.all([GnuPG.create('pgp-upgrade'), PgpCore.start()]);
  const fingerprint = await gpg.generateKey({
    userId: 'Upgrade <upgrade@custodian.test>',
    algorithm: 'ed25519',
    passphrase: PASSPHRASE,
  });
  armored = await gpg.exportSecretKeyArmored(fingerprint, PASSPHRASE);
}, 120_000);

afterAll(async () => {
  await pgp?.close();
  await gpg?.close();
});

/** A credential exactly as 1.0.0 left it in the vault: both values stored, nothing imported. */
async function savedUnderOneZero(name: string, passphrase = PASSPHRASE): Promise<void> {
  const time = new Date().toISOString();
  await pgp.core.vault.update((content) => {
    content.credentials.push({
      id: randomUUID(),
      name,
      type: 'pgp_key',
      description: '',
      fields: { private_key: armored, passphrase },
      createdAt: time,
      updatedAt: time,
      lastUsedAt: null,
    });
  });
}

const stored = (name: string) =>
  pgp.core.vault.read((content) =>
    structuredClone(content.credentials.find((c) => c.name === name)),
  );

describe('credentials saved under pgp-signing 1.0.0', () => {
  it('are imported from their stored values when the vault is unlocked; the passphrase is then dropped', async () => {
    await savedUnderOneZero('old-key');
    // Before: refused, saying what to do.
    await expect(pgp.run('sign', 'old-key', { data: 'x' })).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'Credential "old-key" has no imported key: open it in Custodian and save it again',
    });
    resultOf(await pgp.core.dispatch('vault:lock', {}));
    resultOf(await pgp.core.dispatch('vault:unlock', {}));
    const after = stored('old-key');
    expect(after?.fields).toEqual({ private_key: armored });
    expect(after?.imported).toMatchObject({ plugin: 'pgp-signing', version: '2.0.0' });
    expect(after?.imported?.info).toMatchObject({ protected: true });
    const signed = await pgp.ok<SignData>('sign', 'old-key', { data: 'x' });
    expect(signed.signature).toContain('-----BEGIN PGP SIGNATURE-----');
  }, 60_000);

  it('are imported when the plugin is installed or updated', async () => {
    await savedUnderOneZero('old-key-2');
    await pgp.core.plugins.uninstall('pgp-signing');
    await pgp.core.plugins.installFromDirectory(PLUGIN_BUILD, { source: 'test' });
    await eventually(() => expect(stored('old-key-2')?.imported).toBeDefined(), {
      timeoutMs: 30_000,
      message: 'old-key-2 imported after the install',
    });
    expect(stored('old-key-2')?.fields).toEqual({ private_key: armored });
    expect((await pgp.run('sign', 'old-key-2', { data: 'x' })).code).toBe(0);
  }, 60_000);

  it('whose stored passphrase no longer opens the key stay as they were, and say to save again', async () => {
    await savedUnderOneZero('old-key-wrong', 'not the passphrase');
    resultOf(await pgp.core.dispatch('vault:lock', {}));
    resultOf(await pgp.core.dispatch('vault:unlock', {}));
    const after = stored('old-key-wrong');
    expect(after?.imported).toBeUndefined();
    expect(after?.fields.passphrase).toBe('not the passphrase');
    await expect(pgp.run('sign', 'old-key-wrong', { data: 'x' })).rejects.toMatchObject({
      message: expect.stringContaining('open it in Custodian and save it again'),
    });
    // Saving it again with the right passphrase imports it.
    resultOf(
      await pgp.core.dispatch('credentials:update', {
        id: after?.id ?? '',
        fields: { passphrase: PASSPHRASE },
      }),
    );
    expect(stored('old-key-wrong')?.fields).toEqual({ private_key: armored });
    expect((await pgp.run('sign', 'old-key-wrong', { data: 'x' })).code).toBe(0);
  }, 60_000);
});
