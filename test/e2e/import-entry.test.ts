import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir } from '../support/plugin-fixtures';
import { startRig, type Rig } from './harness';

// A credential type with an import entry (plugins/fixtures/key-import),
// through the window: its import_only field says before anything is typed
// that it is used once and not kept; after Add the Saved view shows the
// import's info; the vault holds the key it sealed and not the passphrase; on
// Edit the passphrase need not be typed again to change a non-secret field.

const SEED = randomBytes(32).toString('hex');
const PASSPHRASE = 'let me in';
const NOTE = 'Used once to import the key; not kept.';

describe('a type’s import entry, in the window', () => {
  let rig: Rig;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(join(fixtureDir('key-import'), 'plugin.wasm')))
      throw new Error(
        `${fixtureDir('key-import')} is not built: run \`npm run plugins:build\` first.`,
      );
    rig = await startRig();
    expect('result' in (await rig.core.dispatch('vault:create', {}))).toBe(true);
    await rig.core.plugins.installFromDirectory(fixtureDir('key-import'), { source: 'local' });
    page = await rig.newPage();
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();
  });

  afterEach(() => {
    expect(rig.problems.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await rig?.close();
  });

  const dialog = () => page.getByRole('dialog');
  const field = (label: string) => dialog().getByLabel(label, { exact: true });
  const stored = (name: string) =>
    rig.core.vault.read((content) =>
      structuredClone(content.credentials.find((c) => c.name === name)),
    );

  it('says the passphrase is used once and not kept, shows the import’s info, keeps only the sealed key', async () => {
    await page.getByRole('button', { name: 'Add credential' }).click();
    await dialog().getByRole('button', { name: 'Fixture key — from plugin key-import' }).click();
    const passphrase = field('Passphrase');
    const described = ((await passphrase.getAttribute('aria-describedby')) ?? '').split(' ');
    const notes = await Promise.all(
      described.map((id) => page.locator(`[id="${id}"]`).textContent()),
    );
    expect(notes).toContain(NOTE);
    // The seed, a secret that is kept, says nothing of the kind.
    expect(await dialog().getByText(NOTE, { exact: true }).count()).toBe(1);
    await field('Name').fill('Imported key');
    await field('Seed').fill(SEED);
    await passphrase.fill(PASSPHRASE);
    await dialog().getByRole('button', { name: 'Add credential' }).click();
    await dialog()
      .getByRole('heading', { level: 2, name: 'Saved “Imported key”', exact: true })
      .waitFor();
    const findings = dialog().locator('dl.inspection').first();
    const text = (await findings.textContent()) ?? '';
    expect(text).toContain('no network during import');
    const credential = stored('Imported key');
    expect(credential?.fields).toEqual({ seed: SEED });
    expect(text).toContain(
      Buffer.from(credential?.imported?.public.public_key ?? '', 'base64').toString('hex'),
    );
    expect(credential?.imported?.sealed.signing_key).toContain('"kty":"OKP"');
    await rig.screenshot(page, '63-saved-import');
    await dialog().getByRole('button', { name: 'Done' }).click();
    await dialog().waitFor({ state: 'detached' });
  });

  it('on Edit, the passphrase is not asked again to change a non-secret field', async () => {
    const before = stored('Imported key')?.imported;
    await page.getByRole('button', { name: 'Edit Imported key' }).click();
    await field('Label').fill('work');
    expect(await dialog().getByText(NOTE, { exact: true }).count()).toBe(1);
    await dialog().getByRole('button', { name: 'Save changes' }).click();
    await dialog().waitFor({ state: 'detached' });
    expect(stored('Imported key')?.fields).toEqual({ seed: SEED, label: 'work' });
    expect(stored('Imported key')?.imported).toEqual(before);
  });
});
