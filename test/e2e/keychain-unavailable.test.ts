import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NoKeyStore } from '../../electron/core/keychain/key-store';
import { startRig, type Rig } from './harness';

// No Secret Service at all: the window says so plainly at first run and while
// unlocked, and the recovery passphrase still opens the vault.

describe('when the system keychain cannot be reached', () => {
  let rig: Rig;
  let page: Page;
  let passphrase = '';

  beforeAll(async () => {
    rig = await startRig({ keyStore: new NoKeyStore() });
    page = await rig.newPage();
  });

  afterEach(() => {
    const problems = rig.problems.splice(0);
    expect(problems).toEqual([]);
  });

  afterAll(async () => {
    await rig?.close();
  });

  const heading = (name: string) => page.getByRole('heading', { level: 1, name });

  it('first run warns that every unlock will need the passphrase', async () => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Create vault' }).click();
    const shown = page.getByTestId('recovery-passphrase');
    await shown.waitFor();
    passphrase = (await shown.textContent())?.trim() ?? '';
    await page.getByText('The system keychain could not be reached').waitFor();

    // When the clipboard is refused (as a strict permission handler may do), Copy
    // says so and selects the passphrase for a manual copy.
    await page.evaluate(
      `navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'))`,
    );
    await page.getByRole('button', { name: 'Copy the passphrase' }).click();
    await page.getByText('Copying was blocked').waitFor();
    const selected = await page.evaluate<string>('String(window.getSelection())');
    expect(selected.trim() === passphrase, 'the passphrase is selected').toBe(true);
    await rig.screenshot(page, '30-keychain-unavailable-first-run', [shown]);

    await page.getByLabel('I have saved my recovery passphrase').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await heading('Credentials').waitFor();
    // The unlocked screen keeps saying it, so the passphrase is not put away.
    await page.getByText('cannot unlock by itself').waitFor();
  });

  it('Unlock explains the keychain is unreachable and offers the passphrase, which opens the vault', async () => {
    await page.getByRole('button', { name: 'Lock' }).click();
    await heading('Custodian is locked').waitFor();
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();

    // keychain_unavailable from main: its message, then the recovery form.
    await page.getByText('could not be reached').waitFor();
    const input = page.getByLabel('Recovery passphrase', { exact: true });
    await input.fill(passphrase);
    await rig.screenshot(page, '31-keychain-unavailable-recovery', [input]);
    await page.getByRole('button', { name: 'Unlock with passphrase' }).click();
    await heading('Credentials').waitFor();
    expect(rig.core.vault.isUnlocked).toBe(true);
    expect(rig.core.vault.keychainState).toBe('unavailable');
  });
});
