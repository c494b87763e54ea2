import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StoredCredential } from '../../electron/core/vault/vault-content';
import { startRig, ZOOM_200, type Rig } from './harness';
import { focusReport, horizontalOverflow, pageText } from './page-checks';

// Credentials through the window: forms built from the type's fields, inline
// errors, main refusing a bypass, edit without revealing, delete with a
// confirmation, search and filter, the keyboard alone, and 200% zoom.
// Tests run in order on one vault; each leaves the list screen showing.

// Made-up secrets, unique per run so a stray match cannot come from elsewhere.
const run = Date.now().toString(36);
const GITHUB_KEY = `ghp_e2eOldSecret${run}`;
const GITHUB_KEY_NEW = `ghp_e2eNewSecret${run}`;
const DEPLOY_PASSWORD = `pw-e2e-${run}-hunter2`;
const NOTE_TEXT = `line one ${run}\nline two ${run}`;

describe('credentials in the window', () => {
  let rig: Rig;
  let page: Page;

  beforeAll(async () => {
    rig = await startRig();
    // The vault exists already; its first run is vault-lifecycle.test.ts's business.
    const created = await rig.core.dispatch('vault:create', {});
    expect('result' in created).toBe(true);
    page = await rig.newPage();
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();
  });

  afterEach(() => {
    const problems = rig.problems.splice(0);
    expect(problems).toEqual([]);
  });

  afterAll(async () => {
    await rig?.close();
  });

  const stored = (name: string): StoredCredential | undefined =>
    rig.core.vault.read((content) => content.credentials.find((c) => c.name === name));
  const dialog = () => page.getByRole('dialog');
  const field = (label: string) => dialog().getByLabel(label, { exact: true });
  const listItem = (name: string) =>
    page.getByRole('listitem').filter({ has: page.getByRole('heading', { name, exact: true }) });
  const listedNames = () => page.locator('.credential-name').allTextContents();

  async function openAdd(typeName: string) {
    await page.getByRole('button', { name: 'Add credential' }).click();
    await dialog().getByRole('button', { name: typeName }).click();
    await field('Name').waitFor();
  }

  async function submitDialog(label: string) {
    await dialog().getByRole('button', { name: label }).click();
    await dialog().waitFor({ state: 'detached' });
  }

  it('adds an API key through a form built from its fields', async () => {
    await page.getByRole('button', { name: 'Add credential' }).click();
    await dialog().getByRole('heading', { name: 'Add credential' }).waitFor();
    for (const type of ['API key', 'Username and password', 'Secret note']) {
      await dialog().getByRole('button', { name: type }).waitFor();
    }
    await rig.screenshot(page, '10-add-type-picker');

    await dialog().getByRole('button', { name: 'API key' }).click();
    await dialog().getByRole('heading', { name: 'Add API key' }).waitFor();
    // Exactly the type's fields, with their defaults and controls.
    expect(await field('Key').getAttribute('type')).toBe('password');
    expect(await field('Header name').inputValue()).toBe('Authorization');
    expect(await field('Header prefix').inputValue()).toBe('Bearer ');
    expect(await field('Allowed hosts').evaluate((el) => el.tagName)).toBe('TEXTAREA');
    expect(await field('Key').getAttribute('aria-required')).toBe('true');
    expect(await dialog().locator('[data-field]').count()).toBe(4);

    await field('Name').fill('GitHub token');
    await field('Description').fill('Personal access token for the CI agent');
    await field('Key').fill(GITHUB_KEY);
    // Show reveals what was typed here; Hide masks it again.
    await dialog().getByRole('button', { name: 'Show Key' }).click();
    expect(await field('Key').getAttribute('type')).toBe('text');
    await dialog().getByRole('button', { name: 'Hide Key' }).click();
    expect(await field('Key').getAttribute('type')).toBe('password');
    await field('Allowed hosts').fill('api.github.com, uploads.github.com');
    await rig.screenshot(page, '11-add-api-key-form', [field('Key')]);

    await submitDialog('Add credential');
    const item = listItem('GitHub token');
    await item.waitFor();
    expect(await item.locator('.badge').textContent()).toBe('API key');
    expect(await item.textContent()).toContain('Personal access token for the CI agent');
    expect(await item.locator('time').count()).toBe(1);

    const saved = stored('GitHub token');
    expect(saved?.type).toBe('api_key');
    expect(saved?.fields.key === GITHUB_KEY, 'the key was stored as typed').toBe(true);
    expect(saved?.fields.header_name).toBe('Authorization');
    expect(saved?.fields.allowed_hosts).toBe('api.github.com, uploads.github.com');
    expect((await pageText(page)).includes(GITHUB_KEY)).toBe(false);
  });

  it('shows required, pattern and name-taken errors inline, tied to their inputs', async () => {
    await openAdd('API key');
    await field('Header name').fill('X Api Key');
    await field('Allowed hosts').fill('not a host!');
    await dialog().getByRole('button', { name: 'Add credential' }).click();

    const expectError = async (label: string, text: string) => {
      const input = field(label);
      expect(await input.getAttribute('aria-invalid')).toBe('true');
      const ids = ((await input.getAttribute('aria-describedby')) ?? '').split(' ');
      const messages = await Promise.all(
        ids.map((id) => page.locator(`[id="${id}"]`).textContent()),
      );
      expect(messages.join(' | ')).toContain(text);
    };
    await dialog().getByText('Name is required').waitFor();
    await expectError('Name', 'Name is required');
    await expectError('Key', 'Key is required');
    await expectError('Header name', 'An HTTP header name');
    await expectError('Allowed hosts', 'List host names');
    expect(await field('Header prefix').getAttribute('aria-invalid')).toBeNull();
    // The first input with an error has the focus, so it is read out.
    expect(await field('Name').evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await rig.screenshot(page, '12-validation-errors');

    // Fixing a field clears its error; a name already used comes back from main.
    await field('Header name').fill('X-Api-Key');
    expect(await field('Header name').getAttribute('aria-invalid')).toBeNull();
    await field('Allowed hosts').fill('');
    await field('Key').fill(`sk-e2e-${run}`);
    await field('Name').fill('github TOKEN');
    await dialog().getByRole('button', { name: 'Add credential' }).click();
    await dialog().getByText('This name is already used').waitFor();
    await expectError('Name', 'This name is already used');

    await field('Name').fill('Stripe live');
    await field('Description').fill('Payments API');
    await submitDialog('Add credential');
    await listItem('Stripe live').waitFor();
    expect(stored('Stripe live')?.fields.header_name).toBe('X-Api-Key');
    // An emptied optional field with a default is stored empty, not given its default back.
    expect(stored('Stripe live')?.fields.allowed_hosts).toBeUndefined();
  });

  it('adds a username and password, and a multi-line secret note', async () => {
    await openAdd('Username and password');
    await field('Name').fill('Deploy login');
    await field('Username').fill('deploy');
    await field('Password').fill(DEPLOY_PASSWORD);
    await submitDialog('Add credential');
    await listItem('Deploy login').waitFor();
    expect(stored('Deploy login')?.fields.password === DEPLOY_PASSWORD).toBe(true);

    await openAdd('Secret note');
    await field('Name').fill('Recovery codes');
    const note = field('Note');
    expect(await note.evaluate((el) => el.tagName)).toBe('TEXTAREA');
    // A secret textarea is masked too, until Show.
    expect(await note.evaluate((el) => el.classList.contains('masked'))).toBe(true);
    await note.fill(NOTE_TEXT);
    await rig.screenshot(page, '13-add-secret-note', [note]);
    await submitDialog('Add credential');
    await listItem('Recovery codes').waitFor();
    expect(stored('Recovery codes')?.fields.note === NOTE_TEXT, 'both lines kept').toBe(true);
  });

  it('main refuses what the form would have refused, when the form is bypassed', async () => {
    const call = (request: unknown) =>
      page.evaluate(
        (payload) => (globalThis as unknown as BypassHost).custodian.credentials.create(payload),
        request,
      );
    const missingKey = await call({
      type: 'api_key',
      name: 'Bypass',
      description: '',
      fields: { header_name: 'Authorization' },
    });
    expect(missingKey).toMatchObject({ error: { code: 'invalid_input' } });
    expect(Object.keys(errorFields(missingKey))).toContain('key');

    const badPattern = await call({
      type: 'api_key',
      name: 'Bypass',
      fields: { key: 'x-secret-1', header_name: 'Bad Header' },
    });
    expect(Object.keys(errorFields(badPattern))).toEqual(['header_name']);

    const tooLong = await call({
      type: 'basic_auth',
      name: 'Bypass',
      fields: { username: 'u'.repeat(300), password: 'x' },
    });
    expect(Object.keys(errorFields(tooLong))).toEqual(['username']);

    const unknownField = await call({
      type: 'secret_note',
      name: 'Bypass',
      fields: { note: 'x', extra: 'y' },
    });
    expect(Object.keys(errorFields(unknownField))).toEqual(['extra']);

    expect(stored('Bypass')).toBeUndefined();
  });

  it('edits: renames and replaces a secret that is never shown, keeps what was not touched', async () => {
    const before = stored('GitHub token');
    expect(before).toBeDefined();
    const logStart = rig.ipcLog.length;

    await listItem('GitHub token').getByRole('button', { name: 'Edit GitHub token' }).click();
    await dialog().getByRole('heading', { name: 'Edit “GitHub token”' }).waitFor();
    await field('Name').waitFor();
    // Non-secret values are filled in; the stored key is not there, only "unchanged".
    expect(await field('Header name').inputValue()).toBe('Authorization');
    expect(await field('Allowed hosts').inputValue()).toBe('api.github.com, uploads.github.com');
    expect(await field('Key').inputValue()).toBe('');
    expect(await field('Key').getAttribute('placeholder')).toBe('Unchanged');
    await dialog().getByText('Stored value unchanged').waitFor();
    // Show on an untouched secret reveals nothing: there is nothing in the renderer to reveal.
    await dialog().getByRole('button', { name: 'Show Key' }).click();
    expect(await field('Key').inputValue()).toBe('');
    await dialog().getByRole('button', { name: 'Hide Key' }).click();
    expect((await pageText(page)).includes(GITHUB_KEY)).toBe(false);
    await rig.screenshot(page, '14-edit-unchanged');

    await field('Name').fill('GitHub token (work)');
    await field('Key').fill(GITHUB_KEY_NEW);
    await dialog().getByText('will be replaced when you save').waitFor();
    await field('Allowed hosts').fill('');
    expect((await pageText(page)).includes(GITHUB_KEY)).toBe(false);
    await submitDialog('Save changes');

    await listItem('GitHub token (work)').waitFor();
    expect(await listItem('GitHub token').count()).toBe(0);
    expect((await pageText(page)).includes(GITHUB_KEY)).toBe(false);
    expect((await pageText(page)).includes(GITHUB_KEY_NEW)).toBe(false);

    const after = stored('GitHub token (work)');
    expect(after?.id).toBe(before?.id);
    expect(after?.fields.key === GITHUB_KEY_NEW, 'the new key was stored').toBe(true);
    expect(after?.fields.header_name).toBe('Authorization');
    expect(after?.fields.header_prefix).toBe('Bearer ');
    expect(after?.fields.allowed_hosts).toBeUndefined();
    // Neither key ever crossed into the renderer in any answer from main.
    const answers = rig.ipcLog.slice(logStart).map((entry) => entry.response);
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.some((a) => a.includes(GITHUB_KEY) || a.includes(GITHUB_KEY_NEW))).toBe(false);

    // An edit that leaves the secret alone keeps it.
    await listItem('Deploy login').getByRole('button', { name: 'Edit Deploy login' }).click();
    await field('Description').fill('Deploys to staging');
    await submitDialog('Save changes');
    await page.getByText('Deploys to staging').waitFor();
    expect(stored('Deploy login')?.fields.password === DEPLOY_PASSWORD).toBe(true);
  });

  it('delete asks first, naming the credential; Cancel and Escape keep it', async () => {
    const deleteButton = () =>
      listItem('Deploy login').getByRole('button', { name: 'Delete Deploy login' });
    await deleteButton().click();
    const confirm = page.getByRole('alertdialog');
    await confirm.getByRole('heading', { name: 'Delete “Deploy login”?' }).waitFor();
    // Cancel has the focus, so a stray Enter keeps the credential.
    expect(
      await confirm
        .getByRole('button', { name: 'Cancel' })
        .evaluate((el) => el === el.ownerDocument.activeElement),
    ).toBe(true);
    await rig.screenshot(page, '15-delete-confirm');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(stored('Deploy login')).toBeDefined();

    await deleteButton().click();
    await confirm.waitFor();
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    expect(stored('Deploy login')).toBeDefined();
    await listItem('Deploy login').waitFor();

    await deleteButton().click();
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await confirm.waitFor({ state: 'detached' });
    await expect.poll(() => listItem('Deploy login').count()).toBe(0);
    expect(stored('Deploy login')).toBeUndefined();
    // The row that opened the dialog is gone; the focus lands on the heading, not on nothing.
    await expect.poll(async () => (await focusReport(page)).tag).toBe('h1');
  });

  it('searches by name and description, and filters by type', async () => {
    await rig.core.dispatch('credentials:create', {
      type: 'basic_auth',
      name: 'Mail server',
      description: 'SMTP relay',
      fields: { username: 'mailer', password: `pw-${run}` },
    });
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();
    const all = ['GitHub token (work)', 'Mail server', 'Recovery codes', 'Stripe live'];
    await expect.poll(listedNames).toEqual(all);
    await rig.screenshot(page, '16-credential-list');

    const search = page.getByRole('searchbox', { name: 'Search' });
    await search.fill('stripe');
    await expect.poll(listedNames).toEqual(['Stripe live']);
    await search.fill('smtp');
    await expect.poll(listedNames).toEqual(['Mail server']);
    await search.fill('nothing like this');
    await page.getByText('No credentials match this search.').waitFor();
    await rig.screenshot(page, '17-search-no-match');
    await search.fill('');
    await expect.poll(listedNames).toEqual(all);

    const typeFilter = page.getByLabel('Type', { exact: true });
    await typeFilter.selectOption({ label: 'API key' });
    await expect.poll(listedNames).toEqual(['GitHub token (work)', 'Stripe live']);
    await typeFilter.selectOption({ label: 'Secret note' });
    await expect.poll(listedNames).toEqual(['Recovery codes']);
    await search.fill('stripe');
    await page.getByText('No credentials match this search.').waitFor();
    await search.fill('');
    await typeFilter.selectOption({ label: 'All types' });
    await expect.poll(listedNames).toEqual(all);
  });

  it('works from the keyboard alone, with a visible focus ring', async () => {
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();

    // Tab to "Add credential"; every stop on the way shows a focus ring.
    let focus = await focusReport(page);
    for (let stops = 0; stops < 10 && focus.text !== 'Add credential'; stops++) {
      await page.keyboard.press('Tab');
      focus = await focusReport(page);
      expect(focus.focusVisible, `focus ring on ${focus.tag} "${focus.text}"`).toBe(true);
      expect(focus.outlineStyle).not.toBe('none');
      expect(focus.outlineWidth).toBeGreaterThan(0);
    }
    expect(focus.text).toBe('Add credential');
    await rig.screenshot(page, '18-keyboard-focus');

    await page.keyboard.press('Enter');
    await dialog().waitFor();
    focus = await focusReport(page);
    expect(focus.inDialog).toBe(true);
    // The focus stays inside the dialog, however far one tabs.
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      expect((await focusReport(page)).inDialog).toBe(true);
    }
    // Escape closes it and gives the focus back to the button that opened it.
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    await expect.poll(async () => (await focusReport(page)).text).toBe('Add credential');

    await page.keyboard.press('Enter');
    await dialog().getByRole('button', { name: 'Secret note' }).waitFor();
    for (let i = 0; i < 6 && !(await focusReport(page)).text.startsWith('Secret note'); i++) {
      await page.keyboard.press('Tab');
    }
    expect((await focusReport(page)).text).toMatch(/^Secret note/);
    await page.keyboard.press('Enter');
    await field('Name').waitFor();
    // The name input has the focus: type, then Tab through description to the note.
    await page.keyboard.type('Typed by keyboard');
    await page.keyboard.press('Tab');
    await page.keyboard.type('No mouse was used');
    await page.keyboard.press('Tab');
    await page.keyboard.type(`keyboard note ${run}`);
    for (let i = 0; i < 6 && (await focusReport(page)).text !== 'Add credential'; i++) {
      await page.keyboard.press('Tab');
    }
    focus = await focusReport(page);
    expect(focus.text).toBe('Add credential');
    expect(focus.focusVisible).toBe(true);
    await page.keyboard.press('Enter');
    await dialog().waitFor({ state: 'detached' });
    await listItem('Typed by keyboard').waitFor();
    expect(stored('Typed by keyboard')?.fields.note === `keyboard note ${run}`).toBe(true);
    expect(stored('Typed by keyboard')?.description).toBe('No mouse was used');
  });

  it('changes the auto-lock time in Settings, with inline errors', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    const minutes = field('Lock after inactivity (minutes)');
    expect(await minutes.inputValue()).toBe('5');
    await minutes.fill('2000');
    await dialog().getByRole('button', { name: 'Save' }).click();
    await dialog().getByText('Enter a whole number of minutes').waitFor();
    expect(await minutes.getAttribute('aria-invalid')).toBe('true');
    await minutes.fill('15');
    await rig.screenshot(page, '19-settings');
    await submitDialog('Save');
    expect(await rig.core.settings.get()).toEqual({ autoLockMinutes: 15 });

    await page.getByRole('button', { name: 'Settings' }).click();
    expect(await minutes.inputValue()).toBe('15');
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
  });

  it('stays readable at 200% zoom: no sideways scrolling on any screen', async () => {
    const zoomed = await rig.newPage(ZOOM_200);
    const fits = async (screen: string) => {
      const report = await horizontalOverflow(zoomed);
      expect(report.offenders, screen).toEqual([]);
      expect(report.scrollWidth, screen).toBeLessThanOrEqual(report.clientWidth);
    };
    const zoomDialog = () => zoomed.getByRole('dialog');

    await zoomed.goto('/');
    await zoomed.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();
    await zoomed.locator('.credential-name').first().waitFor();
    await fits('credential list');
    await rig.screenshot(zoomed, '20-zoom-200-list');

    await zoomed.getByRole('button', { name: 'Add credential' }).click();
    await zoomDialog().getByRole('button', { name: 'API key' }).waitFor();
    await fits('type picker');
    await zoomDialog().getByRole('button', { name: 'API key' }).click();
    await zoomDialog().getByLabel('Name', { exact: true }).waitFor();
    await zoomDialog().getByRole('button', { name: 'Add credential' }).click();
    await zoomDialog().getByText('Name is required').waitFor();
    await fits('add form with errors');
    await rig.screenshot(zoomed, '21-zoom-200-add-form');
    await zoomed.keyboard.press('Escape');

    await zoomed.getByRole('button', { name: 'Edit Stripe live' }).click();
    await zoomDialog().getByText('Stored value unchanged').waitFor();
    await fits('edit form');
    await zoomed.keyboard.press('Escape');

    await zoomed.getByRole('button', { name: 'Delete Stripe live' }).click();
    await zoomed.getByRole('alertdialog').waitFor();
    await fits('delete confirmation');
    await zoomed.keyboard.press('Escape');

    await zoomed.getByRole('button', { name: 'Settings' }).click();
    await zoomDialog().waitFor();
    await fits('settings');
    await zoomed.keyboard.press('Escape');
    await zoomDialog().waitFor({ state: 'detached' });

    // Locking from one window locks them all: the other page follows through vault:changed.
    await zoomed.getByRole('button', { name: 'Lock' }).click();
    await zoomed.getByRole('heading', { level: 1, name: 'Custodian is locked' }).waitFor();
    await page.getByRole('heading', { level: 1, name: 'Custodian is locked' }).waitFor();
    await fits('lock screen');
    await rig.screenshot(zoomed, '22-zoom-200-locked');
    await zoomed.getByRole('button', { name: 'Use recovery passphrase' }).click();
    await fits('recovery form');
    await zoomed.close();
  });
});

interface BypassHost {
  custodian: { credentials: { create(request: unknown): Promise<unknown> } };
}

function errorFields(envelope: unknown): Record<string, string> {
  const error = (envelope as { error?: { code: string; fields?: Record<string, string> } }).error;
  expect(error?.code).toBe('invalid_input');
  return error?.fields ?? {};
}
