import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeychainEntries, keychainEntryCount, startRig, type Rig } from './harness';
import { horizontalOverflow, pageText } from './page-checks';

// The vault's life in the window: first run, lock and unlock through the real
// keychain, a lock pushed by main, and recovery with the passphrase when the
// keychain entry is gone. Tests run in order, each starting where the last ended.

const PASSPHRASE_FORMAT = /^[0-9A-Z]{5}(?:-[0-9A-Z]{5}){5}$/;

describe('vault lifecycle in the window', () => {
  let rig: Rig;
  let page: Page;
  // Read from the screen at first run, used for recovery; never printed.
  let passphrase = '';

  beforeAll(async () => {
    rig = await startRig();
    page = await rig.newPage({ clipboard: true });
  });

  afterEach(() => {
    // Any page error, console error or CSP violation fails the test that caused it.
    const problems = rig.problems.splice(0);
    expect(problems).toEqual([]);
  });

  afterAll(async () => {
    await rig?.close();
  });

  const heading = (name: string) => page.getByRole('heading', { level: 1, name });

  it('first run: creates the vault, shows the recovery passphrase, continues only once saved', async () => {
    await page.goto('/');
    await heading('Welcome to Custodian').waitFor();
    await rig.screenshot(page, '01-first-run');

    // The first-run screen fits a window at 200% zoom.
    await page.setViewportSize({ width: 640, height: 450 });
    const zoomed = await horizontalOverflow(page);
    expect(zoomed.offenders).toEqual([]);
    expect(zoomed.scrollWidth).toBeLessThanOrEqual(zoomed.clientWidth);
    await rig.screenshot(page, '01-first-run-200pct');
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole('button', { name: 'Create vault' }).click();
    const shown = page.getByTestId('recovery-passphrase');
    await shown.waitFor();
    passphrase = (await shown.textContent())?.trim() ?? '';
    expect(PASSPHRASE_FORMAT.test(passphrase), 'the passphrase has its documented format').toBe(
      true,
    );

    // Main has created and unlocked the vault, but the screen waits for the person.
    expect((await rig.core.dispatch('vault:status', {})) as unknown).toMatchObject({
      result: { state: 'unlocked', keychain: 'enrolled' },
    });
    await heading('Save your recovery passphrase').waitFor();

    const continueButton = page.getByRole('button', { name: 'Continue' });
    expect(await continueButton.isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Copy the passphrase' }).click();
    await page.getByText('Copied the passphrase to the clipboard.').waitFor();
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(copied === passphrase, 'the clipboard holds the passphrase').toBe(true);

    await rig.screenshot(page, '02-recovery-passphrase', [shown]);
    await page.setViewportSize({ width: 640, height: 450 });
    expect((await horizontalOverflow(page)).offenders).toEqual([]);
    await rig.screenshot(page, '02-recovery-passphrase-200pct', [shown]);
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByLabel('I have saved my recovery passphrase').check();
    expect(await continueButton.isEnabled()).toBe(true);
    await continueButton.click();

    await heading('Credentials').waitFor();
    await page.getByText('No credentials yet').waitFor();
    // Shown once: once the person continues, the passphrase is gone from the page.
    expect((await pageText(page)).includes(passphrase)).toBe(false);
    await rig.screenshot(page, '03-empty-list');
  });

  it('locks from the window and unlocks through the system keychain', async () => {
    await page.getByRole('button', { name: 'Lock' }).click();
    await heading('Custodian is locked').waitFor();
    expect(rig.core.vault.isUnlocked).toBe(false);
    await rig.screenshot(page, '04-locked');

    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await heading('Credentials').waitFor();
    expect(rig.core.vault.isUnlocked).toBe(true);
  });

  it('shows the lock screen at once when main locks the vault (vault:changed)', async () => {
    await heading('Credentials').waitFor();
    // As auto-lock does in the app: main locks, the window only hears the event.
    await rig.core.dispatch('vault:lock', {});
    await heading('Custodian is locked').waitFor({ timeout: 5_000 });
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await heading('Credentials').waitFor();
  });

  it('a wrong recovery passphrase is an inline error and changes nothing', async () => {
    await page.getByRole('button', { name: 'Lock' }).click();
    await heading('Custodian is locked').waitFor();
    const before = await readFile(rig.vaultFile);

    await page.getByRole('button', { name: 'Use recovery passphrase' }).click();
    const input = page.getByLabel('Recovery passphrase', { exact: true });
    expect(await input.getAttribute('type')).toBe('password');
    await input.fill('AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF');
    await page.getByRole('button', { name: 'Unlock with passphrase' }).click();

    const error = page.getByText('does not open this vault');
    await error.waitFor();
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await input.getAttribute('aria-describedby')) ?? '';
    const errorId = await error.getAttribute('id');
    expect(errorId && describedBy.split(' ').includes(errorId)).toBeTruthy();
    await rig.screenshot(page, '05-recovery-form-wrong-passphrase', [input]);

    expect(rig.core.vault.isUnlocked).toBe(false);
    expect((await readFile(rig.vaultFile)).equals(before), 'the vault file is untouched').toBe(
      true,
    );
    await page.getByRole('button', { name: 'Unlock with the system keychain' }).click();
  });

  it('recovers with the passphrase when the keychain entry is gone, and enrols the keychain again', async () => {
    await heading('Custodian is locked').waitFor();
    expect(await deleteKeychainEntries(rig.keychainService)).toBe(1);

    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    // recovery_required from main: its message, and the recovery form.
    // The same run opened it with the keychain before: main says the key went away since.
    await page.getByText("The system keychain no longer holds this vault's key").waitFor();
    const input = page.getByLabel('Recovery passphrase', { exact: true });
    await input.waitFor();
    await rig.screenshot(page, '06-recovery-required', [input]);

    // Show reveals what was typed (and only that); then hide it again before going on.
    await input.fill(passphrase.toLowerCase());
    await page.getByRole('button', { name: 'Show Recovery passphrase' }).click();
    expect(await input.getAttribute('type')).toBe('text');
    await page.getByRole('button', { name: 'Hide Recovery passphrase' }).click();
    expect(await input.getAttribute('type')).toBe('password');

    await page.getByRole('button', { name: 'Unlock with passphrase' }).click();
    await heading('Credentials').waitFor();
    expect(await keychainEntryCount(rig.keychainService)).toBe(1);

    // The keychain works again: lock, and unlock without the passphrase.
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await heading('Credentials').waitFor();
    expect((await rig.core.dispatch('vault:status', {})) as unknown).toMatchObject({
      result: { state: 'unlocked', keychain: 'enrolled' },
    });
  });

  it('a reload while unlocked lands on the credentials, and no answer ever held the passphrase', async () => {
    await page.reload();
    await heading('Credentials').waitFor();
    // vault:create is the one answer that carries it, by design; no other may.
    const others = rig.ipcLog.filter((entry) => entry.channel !== 'vault:create');
    expect(others.length).toBeGreaterThan(5);
    expect(others.some((entry) => entry.response.includes(passphrase))).toBe(false);
  });
});
