import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StoredCredential } from '../../electron/core/vault/vault-content';
import { startRig, ZOOM_200, type Rig } from './harness';
import { focusReport, horizontalOverflow, pageText } from './page-checks';

// Plugins through the window, against real plugins (the fixtures built by
// `npm run plugins:build`) loaded by the real plugin host at unlock: the list
// with status and what each adds and may do, turning one off and on, a
// credential of a plugin type added through the same form as built-ins,
// Uninstall with its warning, a tampered plugin shown as broken, the keyboard
// and 200% zoom. Tests run in order on one vault; each leaves its page on a
// screen the next one navigates from.

const FIXTURES = fileURLToPath(new URL('../../plugins/fixtures', import.meta.url));
const fixture = (name: string) => join(FIXTURES, name, 'build');

const run = Date.now().toString(36);
const ECHO_SECRET = `echo-e2e-secret-${run}`;

describe('plugins in the window', () => {
  let rig: Rig;
  let page: Page;

  beforeAll(async () => {
    for (const name of ['echo', 'http-fetch', 'log-spam', 'crypto-probe']) {
      if (!existsSync(join(fixture(name), 'plugin.wasm')))
        throw new Error(`${fixture(name)} is not built: run \`npm run plugins:build\` first.`);
    }
    rig = await startRig();
    const created = await rig.core.dispatch('vault:create', {});
    expect('result' in created).toBe(true);

    const install = rig.core.plugins.installFromDirectory.bind(rig.core.plugins);
    await install(fixture('echo'), { source: 'local' });
    // Asked: allowed.test and *.allowed.test; granted: only the first.
    await install(fixture('http-fetch'), {
      source: 'local',
      granted: { crypto: false, log: false, http: ['allowed.test'] },
    });
    await install(fixture('log-spam'), { source: 'local' });
    await install(fixture('crypto-probe'), { source: 'local' });

    // Plugins load at unlock: lock, tamper with one installed module, and let the page unlock.
    expect(await rig.core.dispatch('vault:lock', {})).toMatchObject({
      result: { state: 'locked' },
    });
    await writeFile(
      join(rig.core.plugins.root, 'crypto-probe', 'plugin.wasm'),
      Buffer.from('this is not a WebAssembly module'),
    );

    page = await rig.newPage();
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Custodian is locked' }).waitFor();
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await heading('Credentials').waitFor();
  });

  afterEach(() => {
    const problems = rig.problems.splice(0);
    expect(problems).toEqual([]);
  });

  afterAll(async () => {
    await rig?.close();
  });

  const heading = (name: string, on: Page = page) =>
    on.getByRole('heading', { level: 1, name, exact: true });
  const nav = (name: 'Credentials' | 'Plugins', on: Page = page) =>
    on.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name, exact: true });
  const card = (name: string, on: Page = page) =>
    on
      .getByRole('list', { name: 'Installed plugins' })
      .getByRole('listitem')
      .filter({ has: on.getByRole('heading', { level: 2, name, exact: true }) });
  const status = (name: string) => card(name).locator('.status');
  const toggle = (name: string, on: Page = page) =>
    card(name, on).getByRole('switch', { name: `Enabled (${name})` });
  const details = (name: string, on: Page = page) =>
    card(name, on).getByRole('button', { name: `Details of ${name}` });
  const section = (plugin: string, title: string) =>
    card(plugin).getByRole('region', { name: title });
  const dialog = () => page.getByRole('dialog');
  const field = (label: string) => dialog().getByLabel(label, { exact: true });
  const stored = (name: string): StoredCredential | undefined =>
    rig.core.vault.read((content) => content.credentials.find((c) => c.name === name));
  const pluginNames = () => page.locator('.plugin-name').allTextContents();

  async function showPlugins(on: Page = page) {
    await nav('Plugins', on).click();
    await heading('Plugins', on).waitFor();
    await card('echo', on).or(on.getByText('No plugins installed yet')).first().waitFor();
  }

  async function showCredentials(on: Page = page) {
    await nav('Credentials', on).click();
    await heading('Credentials', on).waitFor();
  }

  /** The type picker's buttons, by their accessible names. */
  async function pickerTypes(): Promise<string[]> {
    await page.getByRole('button', { name: 'Add credential' }).click();
    const list = dialog().getByRole('list', { name: 'Credential types' });
    await list.getByRole('button', { name: /API key/ }).waitFor();
    const names = await list
      .getByRole('button')
      .evaluateAll((buttons) => buttons.map((b) => b.textContent ?? ''));
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    return names;
  }

  it('lists installed plugins with status, author, version and what each adds', async () => {
    await showPlugins();
    expect(await nav('Plugins').getAttribute('aria-current')).toBe('page');
    expect(await nav('Credentials').getAttribute('aria-current')).toBeNull();
    await expect.poll(pluginNames).toEqual(['crypto-probe', 'echo', 'http-fetch', 'log-spam']);

    const echo = card('echo');
    expect(await status('echo').textContent()).toBe('Loaded');
    expect(await echo.locator('.plugin-version').textContent()).toBe('1.0.0');
    const echoText = (await echo.textContent()) ?? '';
    expect(echoText).toContain('by Custodian');
    expect(echoText).toContain('Test fixture: echoes the action and parameters');
    expect(echoText).toContain('Adds 1 credential type, 2 actions and 1 tool for agents.');
    expect(await toggle('echo').isChecked()).toBe(true);
    expect(await status('http-fetch').textContent()).toBe('Loaded');
    expect(await card('http-fetch').textContent()).toContain(
      'Adds 1 credential type and 1 action.',
    );
    expect(await status('log-spam').textContent()).toBe('Loaded');
    // Details are closed until asked for.
    expect(await details('echo').getAttribute('aria-expanded')).toBe('false');
    expect(await card('echo').getByRole('region').count()).toBe(0);
    await rig.screenshot(page, '40-plugins-list');
  });

  it('details show credential types, actions with parameters, tools and permissions in plain words', async () => {
    await details('echo').click();
    expect(await details('echo').getAttribute('aria-expanded')).toBe('true');
    const controls = await details('echo').getAttribute('aria-controls');
    expect(controls && (await page.locator(`[id="${controls}"]`).count())).toBe(1);

    const types = (await section('echo', 'Credential types').textContent()) ?? '';
    expect(types).toContain('Echo token');
    expect(types).toContain('echo_token');

    const actions = section('echo', 'Actions');
    expect(await actions.textContent()).toContain(
      'Returns {action, parameters, credential_fields}.',
    );
    const echoParameters = await actions
      .getByRole('list', { name: 'Parameters of echo' })
      .getByRole('listitem')
      .allTextContents();
    expect(echoParameters).toEqual([
      'message (string, optional)',
      'count (integer, optional)',
      'ratio (number, optional)',
      'flag (boolean, optional)',
      'options (object, optional)',
      'items (array, optional)',
      'mode (string, optional)',
    ]);
    expect(await actions.getByRole('list', { name: 'Parameters of fail' }).textContent()).toBe(
      'message (string, optional)',
    );

    const tools = (await section('echo', 'Tools for agents').textContent()) ?? '';
    expect(tools).toContain('fixture_echo');
    expect(tools).toContain('Echo the parameters back.');
    expect(tools).toContain('Runs the action echo.');
    expect(await section('echo', 'Permissions').textContent()).toContain('Asks for no permissions');
    expect(await section('echo', 'About').textContent()).toContain(
      'A plugin folder on this computer',
    );

    // http-fetch asked for two hosts and was granted one: both shown, each with what was granted.
    await details('http-fetch').click();
    const permissions = section('http-fetch', 'Permissions').getByRole('listitem');
    expect(await permissions.allTextContents()).toEqual([
      'May send HTTPS requests to allowed.testGranted',
      'May send HTTPS requests to any host under allowed.testNot granted',
    ]);
    expect(await section('http-fetch', 'Permissions').textContent()).toContain(
      'What was not granted is refused when the plugin asks for it.',
    );
    expect(
      await section('http-fetch', 'Actions')
        .getByRole('list', { name: 'Parameters of fetch' })
        .getByRole('listitem')
        .allTextContents(),
    ).toEqual([
      'url (string, required)',
      'method (string, optional)',
      'headers (object, optional) Request headers, name to string value.',
      'body (string, optional) Request body as text.',
    ]);
    expect(await section('http-fetch', 'Tools for agents').textContent()).toContain(
      'None: agents cannot call this plugin.',
    );

    await details('log-spam').click();
    expect(
      await section('log-spam', 'Permissions').getByRole('listitem').allTextContents(),
    ).toEqual(['May write to the app log' + 'Granted']);
    // It reads secret values (its manifest asks): said apart from the permissions.
    expect(await section('log-spam', 'Permissions').getByRole('note').textContent()).toContain(
      'This plugin reads your secret values',
    );
    expect(await section('echo', 'Permissions').getByRole('note').count()).toBe(0);
    await card('echo').scrollIntoViewIfNeeded();
    await rig.screenshot(page, '41-plugin-details');
    await details('log-spam').click();
    expect(await card('log-spam').getByRole('region').count()).toBe(0);
  });

  it('a plugin whose module was tampered with shows Error with the reason, and adds nothing', async () => {
    expect(await status('crypto-probe').textContent()).toBe('Error');
    const problem = card('crypto-probe').locator('.plugin-error');
    expect(await problem.textContent()).toBe(
      'This plugin could not be loaded: its wasm module changed since it was installed; reinstall it',
    );
    // What it would do is still there to read.
    await details('crypto-probe').click();
    expect(
      await section('crypto-probe', 'Permissions').getByRole('listitem').allTextContents(),
    ).toEqual(['May use cryptographic functions' + 'Granted']);
    await card('crypto-probe').scrollIntoViewIfNeeded();
    await rig.screenshot(page, '42-plugin-error');
    await details('crypto-probe').click();
    await details('http-fetch').click();
    await details('echo').click();

    await showCredentials();
    const types = await pickerTypes();
    expect(types.some((t) => t.startsWith('Crypto probe token'))).toBe(false);
  });

  it('the Add type picker names the plugin of a type; its form is built like a built-in one', async () => {
    await showCredentials();
    await page.getByRole('button', { name: 'Add credential' }).click();
    const picker = dialog().getByRole('list', { name: 'Credential types' });
    const echoType = picker.getByRole('button', { name: 'Echo token — from plugin echo' });
    await echoType.waitFor();
    await picker
      .getByRole('button', { name: 'HTTP fetch token — from plugin http-fetch' })
      .waitFor();
    // Built-in types say nothing about where they come from.
    expect(await picker.getByRole('button', { name: /^API key/ }).textContent()).not.toContain(
      'from',
    );
    await rig.screenshot(page, '43-add-type-picker-plugins');

    await echoType.click();
    await dialog().getByRole('heading', { name: 'Add Echo token' }).waitFor();
    // Name and description, then exactly the type's three fields with their controls.
    expect(await dialog().locator('[data-field]').count()).toBe(3);
    expect(await field('Token').getAttribute('type')).toBe('password');
    expect(await field('Token').getAttribute('aria-required')).toBe('true');
    expect(await field('Label').getAttribute('type')).toBe('text');
    expect(await field('Enabled').getAttribute('type')).toBe('checkbox');

    // The same inline validation as built-ins.
    await dialog().getByRole('button', { name: 'Add credential' }).click();
    await dialog().getByText('Token is required').waitFor();
    expect(await field('Token').getAttribute('aria-invalid')).toBe('true');

    await field('Name').fill('Echo for agents');
    await field('Description').fill('Made by the plugins e2e test');
    await field('Token').fill(ECHO_SECRET);
    await dialog().getByRole('button', { name: 'Show Token' }).click();
    expect(await field('Token').getAttribute('type')).toBe('text');
    await dialog().getByRole('button', { name: 'Hide Token' }).click();
    expect(await field('Token').getAttribute('type')).toBe('password');
    await field('Label').fill('staging');
    await field('Enabled').check();
    await rig.screenshot(page, '44-plugin-credential-form', [field('Token')]);
    await dialog().getByRole('button', { name: 'Add credential' }).click();
    await dialog().waitFor({ state: 'detached' });

    const item = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: 'Echo for agents', exact: true }) });
    await item.waitFor();
    expect(await item.locator('.badge').textContent()).toBe('Echo token');
    const saved = stored('Echo for agents');
    expect(saved?.type).toBe('echo_token');
    expect(saved?.fields.token === ECHO_SECRET, 'the token was stored as typed').toBe(true);
    expect(saved?.fields.label).toBe('staging');
    expect(saved?.fields.enabled).toBe(true);
    expect((await pageText(page)).includes(ECHO_SECRET)).toBe(false);
    expect(rig.ipcLog.some((entry) => entry.response.includes(ECHO_SECRET))).toBe(false);

    // The type filter names the plugin too.
    const filterOptions = await page
      .getByLabel('Type', { exact: true })
      .locator('option')
      .allTextContents();
    expect(filterOptions).toContain('Echo token (from plugin echo)');
  });

  it('turning a plugin off removes its credential types; turning it on brings them back', async () => {
    await showPlugins();
    await toggle('echo').click();
    await expect.poll(() => status('echo').textContent()).toBe('Disabled');
    expect(await toggle('echo').isChecked()).toBe(false);
    expect(await card('echo').textContent()).toContain(
      'Turned off: its credential types, actions and tools are unavailable',
    );
    expect(rig.core.plugins.list().find((p) => p.name === 'echo')).toMatchObject({
      enabled: false,
      status: 'disabled',
    });
    await page.getByRole('status').filter({ hasText: 'Turned off echo.' }).waitFor({
      state: 'attached',
    });
    await rig.screenshot(page, '45-plugin-disabled');

    await showCredentials();
    const withoutEcho = await pickerTypes();
    expect(withoutEcho.some((t) => t.startsWith('Echo token'))).toBe(false);
    expect(withoutEcho.some((t) => t.startsWith('HTTP fetch token'))).toBe(true);
    // Its credential stays, marked unusable; editing says why instead of showing a form.
    const item = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: 'Echo for agents', exact: true }) });
    expect(await item.locator('.badge').textContent()).toBe('echo_token (type unavailable)');
    await item.getByRole('button', { name: 'Edit Echo for agents' }).click();
    await dialog().getByText('the plugin that defines it is turned off').waitFor();
    expect(await dialog().locator('[data-field]').count()).toBe(0);
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    expect(stored('Echo for agents')?.fields.token === ECHO_SECRET).toBe(true);

    // On again, from the keyboard: Space on the focused switch.
    await showPlugins();
    await toggle('echo').focus();
    await page.keyboard.press('Space');
    // Loading starts the plugin host again: on a loaded machine that takes more than the poll's default 5 s.
    await expect.poll(() => status('echo').textContent(), { timeout: 30_000 }).toBe('Loaded');
    expect(await toggle('echo').isChecked()).toBe(true);
    expect(rig.core.plugins.list().find((p) => p.name === 'echo')?.status).toBe('loaded');

    await showCredentials();
    expect((await pickerTypes()).some((t) => t.startsWith('Echo token — from plugin echo'))).toBe(
      true,
    );
  });

  it('uninstall asks first and says the credentials stay; Cancel keeps it, Uninstall removes it', async () => {
    await showPlugins();
    const echoDir = join(rig.core.plugins.root, 'echo');
    expect(existsSync(echoDir)).toBe(true);

    await card('echo').getByRole('button', { name: 'Uninstall echo' }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.getByRole('heading', { name: 'Uninstall “echo”?' }).waitFor();
    await confirm
      .getByText(
        'Credentials of its types (Echo token) stay in the vault but cannot be used or edited until the plugin is installed again.',
      )
      .waitFor();
    // It names the credentials that use them.
    const affected = confirm.getByRole('list', { name: 'This credential uses them:' });
    await affected.waitFor();
    expect(await affected.getByRole('listitem').allTextContents()).toEqual(['Echo for agents']);
    // Cancel has the focus, so a stray Enter keeps the plugin.
    expect(
      await confirm
        .getByRole('button', { name: 'Cancel' })
        .evaluate((el) => el === el.ownerDocument.activeElement),
    ).toBe(true);
    await rig.screenshot(page, '46-uninstall-confirm');

    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(existsSync(echoDir)).toBe(true);
    expect(await card('echo').count()).toBe(1);
    expect(rig.core.plugins.list().some((p) => p.name === 'echo')).toBe(true);

    await card('echo').getByRole('button', { name: 'Uninstall echo' }).click();
    await confirm.getByRole('button', { name: 'Uninstall', exact: true }).click();
    await confirm.waitFor({ state: 'detached' });
    await expect.poll(pluginNames).toEqual(['crypto-probe', 'http-fetch', 'log-spam']);
    expect(existsSync(echoDir)).toBe(false);
    expect(rig.core.plugins.list().some((p) => p.name === 'echo')).toBe(false);
    // The card (and the button that opened the dialog) is gone: the focus is on the heading.
    await expect.poll(async () => (await focusReport(page)).tag).toBe('h1');

    // The credential is still in the vault, and the list says its type is gone.
    expect(stored('Echo for agents')?.fields.token === ECHO_SECRET).toBe(true);
    await showCredentials();
    const item = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: 'Echo for agents', exact: true }) });
    expect(await item.locator('.badge').textContent()).toBe('echo_token (type unavailable)');
    expect((await pickerTypes()).some((t) => t.startsWith('Echo token'))).toBe(false);
  });

  it('the top bar works from the keyboard with a visible focus ring', async () => {
    await showCredentials();
    // From the screen's heading, going back reaches the views in the top bar.
    await heading('Credentials').focus();
    let focus = await focusReport(page);
    for (let stops = 0; stops < 6 && focus.text !== 'Plugins'; stops++) {
      await page.keyboard.press('Shift+Tab');
      focus = await focusReport(page);
    }
    expect(focus.text).toBe('Plugins');
    expect(focus.focusVisible).toBe(true);
    expect(focus.outlineWidth).toBeGreaterThan(0);
    await page.keyboard.press('Enter');
    await heading('Plugins').waitFor();
    await card('crypto-probe').waitFor();
    // The new view's heading takes the focus; Tab moves on to the first plugin's switch.
    await expect.poll(async () => (await focusReport(page)).tag).toBe('h1');
    await page.keyboard.press('Tab');
    expect(
      await toggle('crypto-probe').evaluate((el) => el === el.ownerDocument.activeElement),
    ).toBe(true);
    focus = await focusReport(page);
    expect(focus.focusVisible).toBe(true);
    expect(focus.outlineWidth).toBeGreaterThan(0);
    await rig.screenshot(page, '47-plugins-keyboard-focus');
    await page.keyboard.press('Tab');
    expect(
      await details('crypto-probe').evaluate((el) => el === el.ownerDocument.activeElement),
    ).toBe(true);
    await page.keyboard.press('Enter');
    expect(await details('crypto-probe').getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('Enter');
    expect(await details('crypto-probe').getAttribute('aria-expanded')).toBe('false');
  });

  it('stays readable at 200% zoom: no sideways scrolling', async () => {
    const zoomed = await rig.newPage(ZOOM_200);
    const fits = async (screen: string) => {
      const report = await horizontalOverflow(zoomed);
      expect(report.offenders, screen).toEqual([]);
      expect(report.scrollWidth, screen).toBeLessThanOrEqual(report.clientWidth);
    };
    await zoomed.goto('/');
    await heading('Credentials', zoomed).waitFor();
    await fits('top bar and credentials');
    await nav('Plugins', zoomed).click();
    await heading('Plugins', zoomed).waitFor();
    await card('http-fetch', zoomed).waitFor();
    await fits('plugins list');
    await rig.screenshot(zoomed, '48-zoom-200-plugins');
    for (const name of ['crypto-probe', 'http-fetch', 'log-spam'])
      await details(name, zoomed).click();
    await fits('plugin details');
    await card('http-fetch', zoomed).scrollIntoViewIfNeeded();
    await rig.screenshot(zoomed, '49-zoom-200-plugin-details');
    await card('http-fetch', zoomed).getByRole('button', { name: 'Uninstall http-fetch' }).click();
    await zoomed.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).waitFor();
    await fits('uninstall confirmation');
    await zoomed.keyboard.press('Escape');
    await zoomed.close();
  });

  it('with no plugins, says how plugins arrive', async () => {
    for (const plugin of rig.core.plugins.list()) await rig.core.plugins.uninstall(plugin.name);
    await page.reload();
    await heading('Credentials').waitFor();
    await showPlugins();
    await page.getByText('No plugins installed yet', { exact: true }).waitFor();
    await page
      .getByText(
        'Find plugins in the Store. Plugin authors can also copy a built plugin folder into the plugins folder of Custodian’s data folder: it appears here turned off, with nothing granted, until you turn it on.',
      )
      .waitFor();
    await rig.screenshot(page, '50-plugins-empty');
  });
});
