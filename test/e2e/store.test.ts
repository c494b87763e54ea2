import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogPlugin } from '../../shared/catalog';
import { fixtureDir } from '../support/plugin-fixtures';
import {
  catalogEntry,
  newPublisher,
  packFixture,
  signedCatalog,
  withVersion,
  type Publisher,
} from '../support/store-fixtures';
import { startStoreServer, type StoreServer } from '../support/store-server';
import { startRig, ZOOM_200, type Rig } from './harness';
import { focusReport, horizontalOverflow } from './page-checks';

// The plugin store through the window, against the real core: catalogs signed
// here and served over real HTTP from 127.0.0.1, archives packed from the
// fixture plugins, downloaded, checked and installed by the real store, and
// loaded by the real plugin host. Adding a catalog by URL and key, a refused
// refresh that keeps the old copy, search, details, install with consent and
// download progress, an update that asks for a new host, uninstall, and an
// unsigned archive from a file. Tests run in order on one vault.

const CATALOG_NAME = 'Example plugins';
const UPDATED_TOOL_DESCRIPTION = 'Echo the parameters back, and also post them to api.example.com.';

/**
 * A download host whose answers can be held half-way: it sends the headers and
 * the first half of a body, then waits for release(), so the window's progress
 * bar can be seen (and photographed) mid-download.
 */
interface GatedServer {
  hostPort: string;
  url(path: string): string;
  put(path: string, body: Buffer): void;
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

async function startGatedServer(): Promise<GatedServer> {
  const bodies = new Map<string, Buffer>();
  let gate: Promise<void> = Promise.resolve();
  let open: () => void = () => undefined;
  const server: Server = createServer((req, res) => {
    const body = bodies.get(req.url ?? '/');
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    const half = Math.floor(body.length / 2);
    res.writeHead(200, {
      'content-type': 'application/zip',
      'content-length': body.length,
    });
    res.write(body.subarray(0, half));
    void gate.then(() => res.end(body.subarray(half)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    hostPort: `127.0.0.1:${port}`,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    put: (path, body) => bodies.set(path, body),
    hold: () => {
      gate = new Promise((resolve) => (open = resolve));
    },
    release: () => open(),
    close: () =>
      new Promise<void>((resolve) => {
        open();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('the plugin store in the window', () => {
  let rig: Rig;
  let page: Page;
  let server: StoreServer;
  let gated: GatedServer;
  let publisher: Publisher;
  let tempDir: string;
  let unsignedArchive: string;
  let echoEntry: CatalogPlugin;
  let httpEntry: CatalogPlugin;
  let catalogV2: string;

  beforeAll(async () => {
    for (const name of ['echo', 'http-fetch', 'log-spam']) {
      if (!existsSync(join(fixtureDir(name), 'plugin.wasm')))
        throw new Error(`${fixtureDir(name)} is not built: run \`npm run plugins:build\` first.`);
    }
    server = await startStoreServer();
    gated = await startGatedServer();
    publisher = newPublisher();

    // echo downloads from the gated host, so its progress can be watched.
    const echo = await packFixture('echo');
    gated.put('/echo-1.0.0.zip', echo);
    echoEntry = await catalogEntry(echo, gated.url('/echo-1.0.0.zip'));
    const http = await packFixture('http-fetch');
    server.put('/archives/http-fetch-1.0.0.zip', http);
    httpEntry = await catalogEntry(http, server.url('/archives/http-fetch-1.0.0.zip'));
    catalogV2 = signedCatalog(publisher, {
      name: CATALOG_NAME,
      sequence: 2,
      plugins: [echoEntry, httpEntry],
    });
    server.put('/catalog.json', catalogV2, 'application/json');

    // An archive on disk with no signature beside it: what a plugin author installs.
    tempDir = await mkdtemp(join(tmpdir(), 'custodian-e2e-store-'));
    unsignedArchive = join(tempDir, 'log-spam.zip');
    await writeFile(unsignedArchive, await packFixture('log-spam'));

    rig = await startRig({
      store: {
        allowPrivate: [server.hostPort, gated.hostPort],
        bundled: null,
        pickFile: () => Promise.resolve(unsignedArchive),
      },
    });
    expect(await rig.core.dispatch('vault:create', {})).toHaveProperty('result');
    page = await rig.newPage();
    await page.goto('/');
    await heading('Credentials').waitFor();
  });

  afterEach(() => {
    const problems = rig.problems.splice(0);
    expect(problems).toEqual([]);
  });

  afterAll(async () => {
    await rig?.close();
    await server?.close();
    await gated?.close();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  });

  const heading = (name: string, on: Page = page) =>
    on.getByRole('heading', { level: 1, name, exact: true });
  const nav = (name: string, on: Page = page) =>
    on.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name, exact: true });
  const region = (name: string, on: Page = page) => on.getByRole('region', { name, exact: true });
  const storeList = (on: Page = page) => on.getByRole('list', { name: 'Store plugins' });
  const entry = (name: string, on: Page = page) => storeList(on).locator(`[data-plugin="${name}"]`);
  const entryNames = () =>
    storeList()
      .locator('[data-plugin]')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-plugin')));
  const catalogCard = () =>
    page.getByRole('list', { name: 'Catalogs' }).getByRole('listitem').first();
  const dialog = (on: Page = page) => on.getByRole('dialog');
  const search = () => page.getByRole('searchbox', { name: 'Search' });
  const notice = () => page.locator('.alert-info');
  const installed = async () => {
    const answer = await rig.core.dispatch('plugins:list', {});
    if (!('result' in answer)) throw new Error('plugins:list failed');
    return answer.result;
  };
  const installedPlugin = async (name: string) =>
    (await installed()).find((plugin) => plugin.name === name);

  async function showStore(on: Page = page) {
    await nav('Store', on).click();
    await heading('Store', on).waitFor();
  }

  it('adds a catalog by URL and public key, refusing a key that did not sign it', async () => {
    await showStore();
    expect(await nav('Store').getAttribute('aria-current')).toBe('page');
    await page.getByText('No plugins to show yet').waitFor();
    await region('Catalogs').getByText('No catalogs yet').waitFor();

    await page.getByRole('button', { name: 'Add catalog…' }).click();
    await dialog().getByRole('heading', { name: 'Add a catalog' }).waitFor();
    // Focus starts in the address field.
    expect((await focusReport(page)).inDialog).toBe(true);
    await dialog().getByLabel('Catalog address').fill(server.url('/catalog.json'));
    // Someone else's key: the catalog's signature does not check out with it.
    await dialog().getByLabel('Public key').fill(newPublisher().publicKey);
    await dialog().getByRole('button', { name: 'Add catalog' }).click();
    const refusal = dialog().getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/key|signature/i);
    expect((await rig.core.dispatch('store:catalogs', {})) as unknown).toEqual({ result: [] });
    await rig.screenshot(page, '90-store-add-catalog-refused');

    // Editing a field clears the refusal; the publisher's own key adds it.
    await dialog().getByLabel('Public key').fill(publisher.publicKey);
    await refusal.waitFor({ state: 'detached' });
    await dialog().getByRole('button', { name: 'Add catalog' }).click();
    await dialog().waitFor({ state: 'detached' });

    await expect.poll(entryNames).toEqual(['echo', 'http-fetch']);
    const echo = (await entry('echo').textContent()) ?? '';
    expect(echo).toContain('by Custodian');
    expect(echo).toContain(`in ${CATALOG_NAME}`);
    expect(echo).toContain(
      'Adds 1 credential type and 1 tool for agents. Asks for no permissions.',
    );
    expect(await entry('http-fetch').textContent()).toContain(
      'May send HTTPS requests to allowed.test; May send HTTPS requests to any host under allowed.test.',
    );
    expect(
      await entry('echo').getByRole('button', { name: 'Install echo', exact: true }).isVisible(),
    ).toBe(true);

    const card = catalogCard();
    await card.getByRole('heading', { level: 3, name: CATALOG_NAME }).waitFor();
    const facts = (await card.locator('dl').textContent()) ?? '';
    expect(facts).toContain(server.url('/catalog.json'));
    expect(facts).toContain(publisher.keyId);
    expect(facts).toContain('Sequence2');
    expect(facts).toContain('Plugins2 plugins');
    expect(facts).toMatch(/Expires.+\d/);
    await region('Plugins').scrollIntoViewIfNeeded();
    await rig.screenshot(page, '91-store-browse');
  });

  it('a refresh that serves an older or foreign catalog is refused with why, and the old copy stays', async () => {
    // A lower sequence than the one already seen: a rollback.
    server.put(
      '/catalog.json',
      signedCatalog(publisher, { name: CATALOG_NAME, sequence: 1, plugins: [echoEntry] }),
      'application/json',
    );
    const card = catalogCard();
    await card.getByRole('button', { name: `Refresh ${CATALOG_NAME}` }).click();
    const refused = card.getByRole('alert');
    await refused.waitFor();
    const rollback = (await refused.textContent()) ?? '';
    expect(rollback).toContain('The last refresh was refused.');
    expect(rollback).toMatch(/sequence/i);
    // Said once, by the core or by the window.
    expect(rollback.match(/stays in use/g)).toHaveLength(1);
    await card.getByText('Last refresh refused').waitFor();
    // Both plugins of the copy it had are still listed, at its sequence.
    expect(await entryNames()).toEqual(['echo', 'http-fetch']);
    expect(await card.locator('dl').textContent()).toContain('Sequence2');
    await card.scrollIntoViewIfNeeded();
    await rig.screenshot(page, '92-store-refresh-refused');

    // Signed by a key the person never added.
    server.put(
      '/catalog.json',
      signedCatalog(newPublisher(), {
        name: CATALOG_NAME,
        sequence: 5,
        plugins: [echoEntry],
      }),
      'application/json',
    );
    await page.getByRole('button', { name: 'Refresh all' }).click();
    await expect.poll(async () => (await refused.textContent()) ?? '').not.toBe(rollback);
    const foreign = (await refused.textContent()) ?? '';
    expect(foreign).toMatch(/key|signature/i);
    expect(foreign.match(/stays in use/g)).toHaveLength(1);
    expect(await entryNames()).toEqual(['echo', 'http-fetch']);

    // The publisher's own copy again: accepted, and the refusal is gone.
    server.put('/catalog.json', catalogV2, 'application/json');
    await card.getByRole('button', { name: `Refresh ${CATALOG_NAME}` }).click();
    await card.getByText('Up to date (sequence 2).').waitFor();
    await refused.waitFor({ state: 'detached' });
  });

  it('search finds plugins by tool name and by credential type', async () => {
    await search().fill('fixture_echo');
    await expect.poll(entryNames).toEqual(['echo']);
    await page.getByText('Showing 1 of 2 plugins.').waitFor();
    await search().fill('HTTP fetch token');
    await expect.poll(entryNames).toEqual(['http-fetch']);
    await search().fill('custodian');
    await expect.poll(entryNames).toEqual(['echo', 'http-fetch']);
    await search().fill('no such plugin anywhere');
    await page.getByText('No plugins match').waitFor();
    await page.getByRole('combobox', { name: 'Show' }).selectOption('installed');
    await search().fill('');
    await page.getByText('No plugins match').waitFor();
    await page.getByRole('combobox', { name: 'Show' }).selectOption('');
    await expect.poll(entryNames).toEqual(['echo', 'http-fetch']);
  });

  it('details show version, author, size, credential types with fields, tools and capabilities in words', async () => {
    const opener = entry('echo').getByRole('button', { name: 'Details of echo' });
    await opener.click();
    const echo = dialog();
    await echo.getByRole('heading', { name: 'echo 1.0.0' }).waitFor();
    const about = (await echo.getByRole('region', { name: 'About' }).textContent()) ?? '';
    expect(about).toContain('Version1.0.0');
    expect(about).toContain('AuthorCustodian');
    expect(about).toContain(`Catalog${CATALOG_NAME}`);
    expect(about).toMatch(/Download size[\d.]+ KB/);
    expect(about).toContain(echoEntry.archive.sha256);
    expect(await echo.getByRole('region', { name: 'What it may do' }).textContent()).toContain(
      'Asks for no permissions',
    );
    const tools =
      (await echo.getByRole('region', { name: 'Tools for agents' }).textContent()) ?? '';
    expect(tools).toContain('fixture_echo');
    expect(tools).toContain('Echo the parameters back.');
    expect(
      await echo
        .getByRole('list', { name: 'Fields of Echo token' })
        .getByRole('listitem')
        .allTextContents(),
    ).toEqual(['Token token (secret)', 'Label label', 'Enabled enabled']);
    // Escape closes it and gives the focus back to the button that opened it.
    await page.keyboard.press('Escape');
    await echo.waitFor({ state: 'detached' });
    // Radix hands the focus back after the close animation frame: wait for it, not a fixed time.
    await expect.poll(async () => (await focusReport(page)).text).toBe('Details of echo');

    await entry('http-fetch').getByRole('button', { name: 'Details of http-fetch' }).click();
    const http = dialog();
    await http.getByRole('heading', { name: 'http-fetch 1.0.0' }).waitFor();
    expect(
      await http
        .getByRole('region', { name: 'What it may do' })
        .getByRole('listitem')
        .allTextContents(),
    ).toEqual([
      'May send HTTPS requests to allowed.test',
      'May send HTTPS requests to any host under allowed.test',
    ]);
    await rig.screenshot(page, '93-store-details');
    await http.getByRole('button', { name: 'Close' }).click();
    await http.waitFor({ state: 'detached' });
  });

  it('Cancel in the consent dialog gives the prepared archive back and installs nothing', async () => {
    await entry('http-fetch')
      .getByRole('button', { name: 'Install http-fetch', exact: true })
      .click();
    await dialog().getByRole('heading', { name: 'Install “http-fetch” 1.0.0?' }).waitFor();
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await dialog().waitFor({ state: 'detached' });
    await expect
      .poll(() => rig.ipcLog.filter((record) => record.channel === 'store:cancel').length)
      .toBe(1);
    expect(rig.ipcLog.find((record) => record.channel === 'store:cancel')?.response).toBe(
      JSON.stringify({ result: { cancelled: true } }),
    );
    expect(await installedPlugin('http-fetch')).toBeUndefined();
  });

  it('install shows the download, then what it may do and who vouches for it; then it is installed and enabled', async () => {
    gated.hold();
    await entry('echo').getByRole('button', { name: 'Install echo', exact: true }).click();
    await dialog().getByRole('heading', { name: 'Install “echo”?' }).waitFor();
    // Half the archive has arrived: the bar shows it, fed by store:progress.
    const bar = dialog().getByRole('progressbar', { name: 'Downloading and checking “echo”…' });
    await bar.and(page.locator('progress[value]')).waitFor();
    const half = Math.floor(echoEntry.archive.size / 2);
    await expect.poll(async () => Number(await bar.getAttribute('value'))).toBe(half);
    expect(Number(await bar.getAttribute('max'))).toBe(echoEntry.archive.size);
    await dialog()
      .getByText(/ of [\d.]+ KB$/)
      .waitFor();
    // Nothing can be installed yet.
    expect(await dialog().getByRole('button', { name: 'Install' }).isDisabled()).toBe(true);
    await rig.screenshot(page, '94-store-download-progress');
    gated.release();

    const consent = dialog();
    await consent.getByRole('heading', { name: 'Install “echo” 1.0.0?' }).waitFor();
    expect(await bar.count()).toBe(0);
    const text = (await consent.textContent()) ?? '';
    expect(text).toContain(`Listed in the signed catalog “${CATALOG_NAME}”`);
    expect(text).toContain('Its size and SHA-256 checksum match what the catalog lists.');
    expect(text).toContain(`Fromthe catalog "${CATALOG_NAME}"`);
    expect(await consent.getByRole('region', { name: 'What it may do' }).textContent()).toContain(
      'Asks for no permissions',
    );
    // It gets secret fields as handles: no warning.
    expect(text).not.toContain('reads your secret values');
    expect(await consent.getByRole('region', { name: 'Tools for agents' }).textContent()).toContain(
      'fixture_echo',
    );
    expect(await consent.getByRole('region', { name: 'Credential types' }).textContent()).toContain(
      'Echo token',
    );
    // A catalog's plugin needs no extra tick; Cancel has the focus, so a stray Enter installs nothing.
    expect(await consent.getByRole('checkbox').count()).toBe(0);
    await expect.poll(async () => (await focusReport(page)).text).toBe('Cancel');
    const install = consent.getByRole('button', { name: 'Install', exact: true });
    expect(await install.isEnabled()).toBe(true);
    await rig.screenshot(page, '95-store-install-consent');

    await install.click();
    await consent.waitFor({ state: 'detached' });
    await notice().getByText('Installed “echo” 1.0.0.').waitFor();
    const card = entry('echo');
    await card.locator('.badge', { hasText: /^Installed$/ }).waitFor();
    await card.locator('.badge', { hasText: /^Enabled$/ }).waitFor();
    await card.getByRole('button', { name: 'Uninstall echo' }).waitFor();
    expect(await card.getByRole('button', { name: 'Install echo', exact: true }).count()).toBe(0);

    const echo = await installedPlugin('echo');
    expect(echo).toMatchObject({ version: '1.0.0', enabled: true, status: 'loaded' });
    expect(echo?.source).toContain(CATALOG_NAME);

    // Its tool is there for agents at once.
    await nav('Agents').click();
    await heading('Agents').waitFor();
    await region('Tools').locator('[data-tool="fixture_echo"]').waitFor();
    await nav('Plugins').click();
    await heading('Plugins').waitFor();
    await page.getByRole('list', { name: 'Installed plugins' }).getByText('echo').first().waitFor();
    await showStore();
  });

  it('a newer version that asks for a new host shows Update available with the change; updating asks again', async () => {
    const echo110 = await packFixture(
      'echo',
      (toml) =>
        `${withVersion('1.1.0')(toml).replace(
          'description = "Echo the parameters back."',
          `description = "${UPDATED_TOOL_DESCRIPTION}"`,
        )}\n[capabilities]\nhttp = ["api.example.com"]\n`,
    );
    server.put('/archives/echo-1.1.0.zip', echo110);
    const echoNext = await catalogEntry(echo110, server.url('/archives/echo-1.1.0.zip'));
    expect(echoNext.capabilities.http).toEqual(['api.example.com']);
    server.put(
      '/catalog.json',
      signedCatalog(publisher, {
        name: CATALOG_NAME,
        sequence: 3,
        plugins: [echoEntry, echoNext, httpEntry],
      }),
      'application/json',
    );
    await page.getByRole('button', { name: 'Refresh all' }).click();

    const card = entry('echo');
    await card.getByText('Update available: 1.1.0').waitFor();
    await expect.poll(entryNames).toEqual(['echo', 'http-fetch']);
    const changes = card.getByRole('list', { name: 'Changes in echo 1.1.0' });
    const lines = await changes.getByRole('listitem').allTextContents();
    expect(lines[0]).toBe('New May send HTTPS requests to api.example.com');
    expect(lines[1]).toContain('Changed What agents are told about fixture_echo changes');
    expect(lines[1]).toContain('BeforeEcho the parameters back.');
    expect(lines[1]).toContain(`After${UPDATED_TOOL_DESCRIPTION}`);
    await page.getByText('2 plugins, 1 with an update available.').waitFor();
    await card.scrollIntoViewIfNeeded();
    await rig.screenshot(page, '96-store-update-available');

    await card.getByRole('button', { name: 'Update echo to 1.1.0' }).click();
    const consent = dialog();
    await consent.getByRole('heading', { name: 'Update “echo” to 1.1.0?' }).waitFor();
    const changed = consent.getByRole('region', { name: 'What changes from 1.0.0' });
    expect(await changed.textContent()).toContain('May send HTTPS requests to api.example.com');
    // In the full list the new capability is marked New (in words, not by colour alone).
    expect(
      await consent
        .getByRole('region', { name: 'What it may do' })
        .getByRole('listitem')
        .allTextContents(),
    ).toEqual(['May send HTTPS requests to api.example.com New']);
    expect(await consent.textContent()).toContain('1.1.0 (installed now: 1.0.0)');
    await rig.screenshot(page, '97-store-update-consent');
    await consent.getByRole('button', { name: 'Update', exact: true }).click();
    await consent.waitFor({ state: 'detached' });
    await notice().getByText('Updated “echo” to 1.1.0.').waitFor();
    await expect.poll(async () => card.getByText('Update available: 1.1.0').count()).toBe(0);
    await card.locator('.badge', { hasText: /^Installed$/ }).waitFor();

    const echo = await installedPlugin('echo');
    expect(echo).toMatchObject({ version: '1.1.0', enabled: true, status: 'loaded' });
    expect(echo?.granted.http).toEqual(['api.example.com']);
  });

  it('uninstall asks first and says what happens to credentials of its types', async () => {
    const created = await rig.core.dispatch('credentials:create', {
      type: 'echo_token',
      name: 'Echo for the store test',
      description: '',
      fields: { token: 'store-e2e-token', label: 'x', enabled: true },
    });
    expect(created).toHaveProperty('result');

    await entry('echo').getByRole('button', { name: 'Uninstall echo' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Uninstall “echo”?' });
    await confirm.waitFor();
    await confirm.getByText('Echo for the store test').waitFor();
    expect(await confirm.textContent()).toContain(
      'Credentials of its types (Echo token) stay in the vault but cannot be used or edited until the plugin is installed again.',
    );
    await rig.screenshot(page, '98-store-uninstall');
    await confirm.getByRole('button', { name: 'Uninstall' }).click();
    await confirm.waitFor({ state: 'detached' });
    await notice().getByText('Uninstalled “echo”.').waitFor();
    await entry('echo').getByRole('button', { name: 'Install echo', exact: true }).waitFor();
    expect(await installedPlugin('echo')).toBeUndefined();
  });

  it('install from file is marked unsigned and needs an explicit tick before Install', async () => {
    await page.getByRole('button', { name: 'Install from file…' }).click();
    const consent = dialog();
    await consent.getByRole('heading', { name: 'Install “log-spam” 1.0.0?' }).waitFor();
    const text = (await consent.textContent()) ?? '';
    expect(text).toContain('Unsigned: nobody vouches for this file');
    expect(text).toContain(`There is no signature at ${unsignedArchive}.sig.`);
    expect(text).toContain(`From${unsignedArchive}`);
    expect(
      await consent
        .getByRole('region', { name: 'What it may do' })
        .getByRole('listitem')
        .allTextContents(),
    ).toEqual(['May write to the app log']);
    // It asks for secret_access = "values": a warning of its own, above the permissions.
    const warning = consent.getByRole('region', { name: 'What it may do' }).getByRole('note');
    expect(await warning.textContent()).toBe(
      'This plugin reads your secret values: it is given the stored secrets themselves, not handles to them.',
    );
    await warning.scrollIntoViewIfNeeded();
    await rig.screenshot(page, '99-store-install-reads-values');
    const install = consent.getByRole('button', { name: 'Install', exact: true });
    const tick = consent.getByRole('checkbox', {
      name: 'I understand nobody vouches for this file, and I want to install it',
    });
    expect(await install.isDisabled()).toBe(true);
    await tick.scrollIntoViewIfNeeded();
    await rig.screenshot(page, '99-store-install-unsigned');
    await tick.check();
    expect(await install.isEnabled()).toBe(true);
    await tick.uncheck();
    expect(await install.isDisabled()).toBe(true);
    await tick.check();
    await install.click();
    await consent.waitFor({ state: 'detached' });
    await notice().getByText('Installed “log-spam” 1.0.0.').waitFor();
    const logSpam = await installedPlugin('log-spam');
    expect(logSpam).toMatchObject({ version: '1.0.0', enabled: true, status: 'loaded' });
    expect(logSpam?.source).toContain('unsigned');
    // It is no catalog's plugin, so the store lists nothing new; the Plugins view has it.
    expect(await entryNames()).toEqual(['echo', 'http-fetch']);
    await nav('Plugins').click();
    await page
      .getByRole('list', { name: 'Installed plugins' })
      .getByRole('heading', { level: 2, name: 'log-spam' })
      .waitFor();
  });

  it('an older version from a file is a downgrade: a warning, and a second explicit tick', async () => {
    await writeFile(unsignedArchive, await packFixture('log-spam', withVersion('0.9.0')));
    await showStore();
    await page.getByRole('button', { name: 'Install from file…' }).click();
    const consent = dialog();
    await consent.getByRole('heading', { name: 'Downgrade “log-spam” to 0.9.0?' }).waitFor();
    expect(await consent.getByRole('alert').allTextContents()).toContain(
      'This is an older version. 0.9.0 replaces the installed 1.0.0; fixes made since may be lost, and credentials saved by the newer version may not work with it.',
    );
    const downgrade = consent.getByRole('button', { name: 'Downgrade', exact: true });
    const unsignedTick = consent.getByRole('checkbox', { name: /nobody vouches for this file/ });
    const olderTick = consent.getByRole('checkbox', {
      name: 'Install the older version 0.9.0 anyway',
    });
    expect(await downgrade.isDisabled()).toBe(true);
    await unsignedTick.check();
    expect(await downgrade.isDisabled()).toBe(true);
    await olderTick.check();
    await rig.screenshot(page, '99-store-downgrade');
    expect(await downgrade.isEnabled()).toBe(true);
    await downgrade.click();
    await consent.waitFor({ state: 'detached' });
    await notice().getByText('Installed the older version 0.9.0 of “log-spam”.').waitFor();
    expect(await installedPlugin('log-spam')).toMatchObject({ version: '0.9.0', status: 'loaded' });
  });

  it('at 200% zoom the store and the consent dialog fit the window', async () => {
    const zoomed = await rig.newPage(ZOOM_200);
    const fits = async (screen: string) => {
      const report = await horizontalOverflow(zoomed);
      expect(report.offenders, screen).toEqual([]);
      expect(report.scrollWidth, screen).toBeLessThanOrEqual(report.clientWidth);
    };
    await zoomed.goto('/');
    await heading('Credentials', zoomed).waitFor();
    await showStore(zoomed);
    await entry('http-fetch', zoomed).waitFor();
    await fits('store');
    const cancelsBefore = rig.ipcLog.filter((record) => record.channel === 'store:cancel').length;
    await entry('http-fetch', zoomed)
      .getByRole('button', { name: 'Install http-fetch', exact: true })
      .click();
    await dialog(zoomed).getByRole('heading', { name: 'Install “http-fetch” 1.0.0?' }).waitFor();
    await fits('consent dialog');
    await rig.screenshot(zoomed, '95-store-install-consent-zoom200');
    // Escape is Cancel: the prepared archive goes back.
    await zoomed.keyboard.press('Escape');
    await dialog(zoomed).waitFor({ state: 'detached' });
    await expect
      .poll(() => rig.ipcLog.filter((record) => record.channel === 'store:cancel').length)
      .toBe(cancelsBefore + 1);
    await zoomed.close();
  });
  it('removing a catalog asks first; its plugins leave the store, installed ones stay', async () => {
    await showStore();
    const card = catalogCard();
    await card.getByRole('button', { name: `Remove ${CATALOG_NAME}` }).click();
    const confirm = page.getByRole('alertdialog', { name: `Remove catalog “${CATALOG_NAME}”?` });
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('Plugins you installed from it stay installed');
    // Cancel has the focus: a stray Enter removes nothing.
    await expect.poll(async () => (await focusReport(page)).text).toBe('Cancel');
    await confirm.getByRole('button', { name: 'Remove' }).click();
    await confirm.waitFor({ state: 'detached' });
    await region('Catalogs').getByText('No catalogs yet').waitFor();
    await page.getByText('No plugins to show yet').waitFor();
    expect((await rig.core.dispatch('store:catalogs', {})) as unknown).toEqual({ result: [] });
    expect(await installedPlugin('log-spam')).toMatchObject({ version: '0.9.0' });
  });
});
