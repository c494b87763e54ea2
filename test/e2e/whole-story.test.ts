import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { packPlugin } from '../../electron/core/store/archive/pack';
import { GnuPG } from '../support/gpg';
import {
  catalogEntry,
  newPublisher,
  signedCatalog,
  type Publisher,
} from '../support/store-fixtures';
import { startStoreServer, type StoreServer } from '../support/store-server';
import { startRig, type Rig } from './harness';
import { pageText } from './page-checks';

// The whole story DESIGN.md tells, headless and with nothing faked: a person
// creates a vault in the window, installs the PGP plugin from a signed catalog
// on 127.0.0.1, pastes a key GnuPG made, an MCP client spawns the bundled
// bridge and calls pgp_sign, the person allows it in the approval dialog, GnuPG
// accepts the signature, and Activity shows the call. Steps run in order on one
// vault; each starts where the last one left the page.

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BRIDGE = join(REPO, 'out/bridge/custodian-mcp.js');
const PGP_BUILD = join(REPO, 'plugins/pgp-signing/build');

const CATALOG = 'Story plugins';
const CREDENTIAL = 'Release signing key';
const AGENT = 'story-agent';
/** 1 KiB of text in 16 lines, so the approval dialog shows a multi-line payload. */
const DATA = Array.from({ length: 16 }, (_, i) =>
  `Release note ${String(i + 1).padStart(2, '0')}: `.padEnd(63, '.'),
)
  .join('\n')
  .concat('\n');

describe('the whole story, from first run to a verified signature', () => {
  let rig: Rig;
  let page: Page;
  let server: StoreServer;
  let publisher: Publisher;
  let gpg: GnuPG;
  let agent: Client | undefined;
  let fingerprint = '';
  /** The armored secret key: compared against, never printed. */
  let armoredKey = '';
  /** Its base64 lines: a leak of part of the key shows as one of them. */
  let keyLines: string[] = [];
  let payloadHash = '';
  let signature = '';

  beforeAll(async () => {
    for (const built of [join(PGP_BUILD, 'plugin.wasm'), BRIDGE]) {
      if (!existsSync(built))
        throw new Error(
          `${built} is missing: run \`npm run build:bridge && npm run plugins:build\` first.`,
        );
    }
    gpg = await GnuPG.create('story');
    fingerprint = await gpg.generateKey({
      userId: 'Story Signer <story@example.org>',
      algorithm: 'ed25519',
    });
    armoredKey = await gpg.exportSecretKeyArmored(fingerprint);
    keyLines = armoredKey.split('\n').filter((line) => /^[A-Za-z0-9+/]{32,}={0,2}$/.test(line));
    // Enough lines that the leak checks below look for more than the whole block.
    expect(keyLines.length).toBeGreaterThanOrEqual(4);

    // The publisher's catalog lists the first-party plugin, packed from its build.
    server = await startStoreServer();
    publisher = newPublisher();
    const archive = await packPlugin(PGP_BUILD);
    server.put('/archives/pgp-signing-2.0.0.zip', archive);
    const entry = await catalogEntry(archive, server.url('/archives/pgp-signing-2.0.0.zip'));
    server.put(
      '/catalog.json',
      signedCatalog(publisher, { name: CATALOG, sequence: 1, plugins: [entry] }),
      'application/json',
    );

    rig = await startRig({
      approvals: { kind: 'window' },
      store: { allowPrivate: [server.hostPort], bundled: null },
    });
    page = await rig.newPage();
  });

  afterEach(() => {
    const problems = rig.problems.splice(0);
    expect(problems).toEqual([]);
  });

  afterAll(async () => {
    await agent?.close();
    await rig?.close();
    await server?.close();
    await gpg?.close();
  });

  const heading = (name: string) => page.getByRole('heading', { level: 1, name, exact: true });
  const nav = (name: string) =>
    page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name, exact: true });
  const dialog = () => page.getByRole('dialog');
  const field = (label: string) => dialog().getByLabel(label, { exact: true });

  /**
   * Whether text holds the secret key or any long line of its armor. Answers a
   * boolean so a failing assertion cannot print key material.
   */
  const holdsKey = (text: string) =>
    text.includes(armoredKey) || keyLines.some((line) => text.includes(line));

  it('1. creates the vault on the first-run screen', async () => {
    await page.goto('/');
    await heading('Welcome to Custodian').waitFor();
    await rig.screenshot(page, '100-story-first-run');

    await page.getByRole('button', { name: 'Create vault' }).click();
    const passphrase = page.getByTestId('recovery-passphrase');
    await passphrase.waitFor();
    await rig.screenshot(page, '101-story-recovery-passphrase', [passphrase]);
    await page.getByLabel('I have saved my recovery passphrase').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await heading('Credentials').waitFor();
    await page.getByText('No credentials yet').waitFor();
    expect((await rig.core.dispatch('vault:status', {})) as unknown).toMatchObject({
      result: { state: 'unlocked', keychain: 'enrolled' },
    });
  });

  it('2. installs pgp-signing from the signed catalog, after its consent dialog', async () => {
    await nav('Store').click();
    await heading('Store').waitFor();
    await page.getByRole('button', { name: 'Add catalog…' }).click();
    await field('Catalog address').fill(server.url('/catalog.json'));
    await field('Public key').fill(publisher.publicKey);
    await dialog().getByRole('button', { name: 'Add catalog' }).click();
    await dialog().waitFor({ state: 'detached' });

    const card = page
      .getByRole('list', { name: 'Store plugins' })
      .locator('[data-plugin="pgp-signing"]');
    await card.getByRole('button', { name: 'Install pgp-signing', exact: true }).click();
    const consent = dialog();
    await consent.getByRole('heading', { name: 'Install “pgp-signing” 2.0.0?' }).waitFor();
    expect(await consent.textContent()).toContain(`Listed in the signed catalog “${CATALOG}”`);
    expect(
      await consent
        .getByRole('region', { name: 'What it may do' })
        .getByRole('listitem')
        .allTextContents(),
    ).toEqual(['May use cryptographic functions']);
    expect(await consent.getByRole('region', { name: 'Tools for agents' }).textContent()).toContain(
      'pgp_sign',
    );
    expect(await consent.getByRole('region', { name: 'Credential types' }).textContent()).toContain(
      'PGP key',
    );
    await rig.screenshot(page, '102-story-store-consent');

    await consent.getByRole('button', { name: 'Install', exact: true }).click();
    await consent.waitFor({ state: 'detached' });
    await page.locator('.alert-info').getByText('Installed “pgp-signing” 2.0.0.').waitFor();
    await card.locator('.badge', { hasText: /^Installed$/ }).waitFor();
    await rig.screenshot(page, '103-story-store-installed');
    expect(rig.core.plugins.list().find((p) => p.name === 'pgp-signing')).toMatchObject({
      version: '2.0.0',
      enabled: true,
      status: 'loaded',
      granted: { crypto: true },
    });
  });

  it('3. adds the GnuPG key through the form, and the plugin shows its fingerprint', async () => {
    await nav('Credentials').click();
    await heading('Credentials').waitFor();
    await page.getByRole('button', { name: 'Add credential' }).click();
    await dialog().getByRole('button', { name: 'PGP key — from plugin pgp-signing' }).click();
    await dialog().getByRole('heading', { name: 'Add PGP key' }).waitFor();
    await field('Name').fill(CREDENTIAL);
    await field('Description').fill('Signs release notes');
    const privateKey = field('Private key');
    await privateKey.fill(armoredKey);
    // Masked on screen by the form already; masked in the picture as well, to be sure.
    await rig.screenshot(page, '104-story-pgp-key-form', [privateKey]);
    await dialog().getByRole('button', { name: 'Add credential' }).click();

    await dialog()
      .getByRole('heading', { level: 2, name: `Saved “${CREDENTIAL}”`, exact: true })
      .waitFor();
    // key_info answers the primary key's facts first.
    const first = dialog().locator('dl.inspection > div').first();
    expect(await first.locator('dt').textContent()).toBe('Fingerprint');
    expect(await first.locator('dd').textContent()).toBe(fingerprint);
    expect(await dialog().textContent()).toContain('Story Signer <story@example.org>');
    await rig.screenshot(page, '105-story-pgp-key-saved');
    await dialog().getByRole('button', { name: 'Done' }).click();
    await dialog().waitFor({ state: 'detached' });
    await page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: CREDENTIAL, exact: true }) })
      .waitFor();

    const stored = rig.core.vault.read((c) => c.credentials.find((x) => x.name === CREDENTIAL));
    expect(stored?.type).toBe('pgp_key');
    expect(stored?.fields.private_key === armoredKey, 'the key was stored as pasted').toBe(true);
    expect(holdsKey(await pageText(page)), 'the page shows the key').toBe(false);
  });

  it('4. an MCP client connects through the bundled bridge and is offered pgp_sign', async () => {
    await rig.core.startBridge();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BRIDGE, '--data', rig.dataDir],
      // Piped, not inherited: the bridge's log stays out of the test output.
      stderr: 'pipe',
    });
    // Drained, so a chatty bridge can never block on a full pipe.
    transport.stderr?.on('data', () => undefined);
    agent = new Client({ name: AGENT, version: '1.0.0' });
    await agent.connect(transport);
    const { tools } = await agent.listTools();
    const sign = tools.find((tool) => tool.name === 'pgp_sign');
    expect(sign).toBeDefined();
    expect(sign?.inputSchema.required).toContain('credential');

    // The window sees the agent arrive, and pgp_sign waiting on the person by default.
    await nav('Agents').click();
    await heading('Agents').waitFor();
    const connected = page.getByRole('list', { name: 'Connected agents' });
    await connected.waitFor();
    expect(await connected.textContent()).toMatch(
      new RegExp(`^${AGENT} 1\\.0\\.0 connected since `),
    );
    const mode = page.getByRole('radiogroup', { name: 'Mode of pgp_sign', exact: true });
    expect(await mode.locator('input:checked').getAttribute('value')).toBe('ask');
    await connected.scrollIntoViewIfNeeded();
    await rig.screenshot(page, '106-story-agent-connected');
  });

  it('5. pgp_sign waits for the approval dialog, and Allow once lets it through', async () => {
    if (!agent) throw new Error('step 4 connected no agent');
    // The SDK gives up after 60 s by default; a slow machine must not turn into a denial.
    const pending = agent.callTool(
      { name: 'pgp_sign', arguments: { credential: CREDENTIAL, data: DATA } },
      undefined,
      { timeout: 120_000 },
    );
    const approval = page.getByRole('alertdialog', { name: 'Allow pgp_sign?' });
    await approval.waitFor();
    expect(await approval.locator('dl').textContent()).toBe(
      `Agent${AGENT} (the name the client calls itself)Toolpgp_signCredential${CREDENTIAL}`,
    );
    // The text to sign is shown whole, as the core describes it.
    const shown = (await approval.locator('pre.payload').textContent()) ?? '';
    expect(shown).toBe(`action sign of plugin pgp-signing\ndata:\n${DATA}`);
    const [asked] = rig.core.agents.broker.pending();
    expect(shown).toBe(asked?.summary);
    payloadHash = asked?.payloadHash ?? '';
    expect(await approval.locator('code[title]').getAttribute('title')).toBe(payloadHash);
    await rig.screenshot(page, '107-story-approval');

    await approval.getByRole('button', { name: 'Allow once', exact: true }).click();
    const result = (await pending) as CallToolResult;
    await approval.waitFor({ state: 'detached' });
    expect(result.isError ?? false).toBe(false);
    const text = result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
    expect(holdsKey(text), 'the agent was given the key').toBe(false);
    const answer = JSON.parse(text) as { signature: string; fingerprint: string };
    expect(answer.fingerprint).toBe(fingerprint);
    expect(answer.signature).toMatch(/^-----BEGIN PGP SIGNATURE-----/);
    signature = answer.signature;
  });

  it('6. GnuPG accepts the signature as made by the generated key', async () => {
    const verified = await gpg.verifyDetached(signature, DATA);
    expect(verified.good, verified.status).toBe(true);
    expect(verified.signerFingerprint).toBe(fingerprint);
    expect(verified.primaryFingerprint).toBe(fingerprint);
    // The same signature over other data is refused, so "good" above means something.
    const tampered = await gpg.verifyDetached(signature, DATA.replace('01', '02'));
    expect(tampered.bad).toBe(true);
  });

  it('7. Activity lists the call, approved by the person and succeeded; the chain is intact', async () => {
    await nav('Activity').click();
    await heading('Activity').waitFor();
    const signs = page
      .locator('table.audit-table tbody tr')
      .filter({ has: page.locator('td[data-label="Tool"]', { hasText: /^pgp_sign$/ }) });
    await expect.poll(() => signs.count()).toBe(2);
    const cells = (index: number) =>
      signs
        .nth(index)
        .locator('td')
        .evaluateAll((tds) => tds.map((td) => td.textContent ?? ''));
    // Newest first: the result, then the decision that let it run.
    expect((await cells(0)).slice(1, 5)).toEqual([
      `${AGENT} (connection 1)`,
      'pgp_sign',
      CREDENTIAL,
      'Succeeded',
    ]);
    expect((await cells(1)).slice(1, 6)).toEqual([
      `${AGENT} (connection 1)`,
      'pgp_sign',
      CREDENTIAL,
      'Approvedby you',
      'allowed once',
    ]);
    // The hash the person saw in the dialog names both entries.
    expect(await signs.locator('td[data-label="Payload"] code').allTextContents()).toEqual([
      payloadHash.slice(0, 12),
      payloadHash.slice(0, 12),
    ]);

    const records = await rig.core.dispatch('audit:query', {});
    if (!('result' in records)) throw new Error('audit:query failed');
    expect(records.result.map((r) => [r.tool, r.outcome, r.payloadHash])).toEqual([
      ['pgp_sign', 'succeeded', payloadHash],
      ['pgp_sign', 'approved', payloadHash],
    ]);
    await page.getByRole('button', { name: 'Check integrity' }).click();
    await page.getByText(`${records.result.length} entries, chain intact.`).waitFor();
    await rig.screenshot(page, '108-story-activity');

    // Nothing the renderer was ever answered held the key.
    expect(rig.ipcLog.length).toBeGreaterThan(10);
    expect(
      rig.ipcLog.some((record) => holdsKey(record.response)),
      'an IPC answer held the key',
    ).toBe(false);
    expect(holdsKey(await pageText(page))).toBe(false);
  });
});
