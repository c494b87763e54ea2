import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import keytar from 'keytar';
import { afterEach, describe, expect, it } from 'vitest';
import { codeOf, startCore, type CoreFixture } from '../support/core-fixture';

// The vault against a real Secret Service (gnome-keyring in a private D-Bus session).

const run = promisify(execFile);
let fixture: CoreFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

async function keychainEntries(service: string) {
  return keytar.findCredentials(service);
}

describe('vault with the OS keychain', () => {
  it('creates a vault, enrols the keychain and unlocks with it after a lock', async () => {
    fixture = await startCore();
    const { vault } = fixture.core;
    expect(await vault.state()).toBe('absent');
    const created = await vault.create();
    expect(created.keychain).toBe('enrolled');
    expect(await keychainEntries(fixture.keychainService)).toHaveLength(1);
    await vault.lock();
    expect(await vault.state()).toBe('locked');
    await vault.unlock();
    expect(await vault.state()).toBe('unlocked');
    expect(vault.keychainState).toBe('enrolled');
  });

  it('asks for the recovery passphrase when the keychain entry is missing, then enrols it again', async () => {
    fixture = await startCore();
    const { vault } = fixture.core;
    const { recoveryPassphrase } = await vault.create();
    await vault.lock();
    for (const { account } of await keychainEntries(fixture.keychainService))
      await keytar.deletePassword(fixture.keychainService, account);

    expect(await codeOf(vault.unlock())).toBe('recovery_required');
    expect(vault.keychainState).toBe('missing');
    expect((await vault.recover(recoveryPassphrase.toLowerCase())).keychain).toBe('enrolled');
    await vault.lock();
    await vault.unlock();
    expect(vault.isUnlocked).toBe(true);
  });

  it('asks for the recovery passphrase when the keychain key does not match', async () => {
    fixture = await startCore();
    const { vault } = fixture.core;
    const { recoveryPassphrase } = await vault.create();
    await vault.lock();
    const [entry] = await keychainEntries(fixture.keychainService);
    if (!entry) throw new Error('the keychain entry was not created');
    await keytar.setPassword(
      fixture.keychainService,
      entry.account,
      Buffer.alloc(32, 7).toString('base64'),
    );
    await expect(vault.unlock()).rejects.toThrow(/does not match this vault/);
    await vault.recover(recoveryPassphrase);
    await vault.lock();
    await vault.unlock();
    expect(vault.isUnlocked).toBe(true);
  });

  it('refuses a wrong recovery passphrase and leaves the file untouched', async () => {
    fixture = await startCore();
    const { vault } = fixture.core;
    await vault.create();
    await vault.lock();
    const before = await readFile(vault.path);
    const error = await vault
      .recover('AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF')
      .catch((e: unknown) => e as Error & { code: string });
    expect(error).toMatchObject({ code: 'wrong_passphrase' });
    expect((error as Error).message).toMatch(/does not open this vault/);
    expect((await readFile(vault.path)).equals(before)).toBe(true);
    expect(vault.isUnlocked).toBe(false);
  });

  it('lock forgets the data key: the key buffer is wiped and reads are refused', async () => {
    fixture = await startCore();
    const { vault, credentials } = fixture.core;
    await vault.create();
    await credentials.create({
      type: 'secret_note',
      name: 'n',
      description: '',
      fields: { note: 'x' },
    });
    // Reach into the vault once to hold the very buffer that must be wiped.
    const key = (
      vault as unknown as { unlocked: { dataKey: { use<T>(fn: (bytes: Buffer) => T): T } } }
    ).unlocked.dataKey.use((bytes) => bytes);
    expect(key.some((b) => b !== 0)).toBe(true);
    await vault.lock();
    expect(key.every((b) => b === 0)).toBe(true);
    expect(() => credentials.list()).toThrow(/locked/);
  });

  it('with no Secret Service, says so clearly and the recovery passphrase still opens the vault', async () => {
    fixture = await startCore();
    await fixture.core.vault.create();
    await fixture.core.vault.lock();
    // A fresh process whose D-Bus address points nowhere: keytar cannot reach any keychain.
    const script = join(import.meta.dirname, '../support/unlock-without-keychain.ts');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script, fixture.dataDir], {
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', DISPLAY: '' },
    }).catch((e: { stdout: string; stderr: string }) => {
      throw new Error(`child failed: ${e.stderr}`);
    });
    const report = JSON.parse(stdout) as {
      unlockCode: string;
      unlockMessage: string;
      createKeychain: string;
      listed: number;
    };
    expect(report.unlockCode).toBe('keychain_unavailable');
    expect(report.unlockMessage).toMatch(
      /system keychain could not be reached.*recovery passphrase/is,
    );
    expect(report.createKeychain).toBe('unavailable');
    expect(report.listed).toBe(1);
  });
});
