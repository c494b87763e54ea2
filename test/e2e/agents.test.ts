import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bridgeClientFor } from '../../electron/core/bridge';
import { ensureMcpb, MCPB } from '../integration/build/mcpb-bundle';
import { eventually } from '../support/eventually';
import { startRig, ZOOM_200, type Rig } from './harness';
import { focusReport, horizontalOverflow } from './page-checks';

// The Agents view through the window, on a real headless core: the tools with
// their modes (changed by mouse and keyboard, and kept by the core), the
// snippet for other MCP clients, the agents connected over the real bridge
// socket, and Connect to Claude Desktop against a temporary home whose config
// file the test reads back, including one the core must refuse untouched.
// Tests run in order on one vault.

describe('the Agents view', () => {
  let rig: Rig;
  let page: Page;
  let home: string;
  let bundleTarget: string | null = null;
  const configHome = () => join(home, 'config');
  const claudeFolder = () => join(configHome(), 'Claude');
  const configFile = () => join(claudeFolder(), 'claude_desktop_config.json');

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'custodian-e2e-home-'));
    ensureMcpb();
    rig = await startRig({
      claude: { platform: 'linux', env: { XDG_CONFIG_HOME: configHome() }, homedir: home },
      // The save dialog, answered as the person would: a place, or closed (null).
      pickBundleTarget: async () => bundleTarget,
    });
    expect(await rig.core.dispatch('vault:create', {})).toHaveProperty('result');
    page = await rig.newPage({ clipboard: true });
    await page.goto('/');
    await heading('Credentials').waitFor();
    await nav('Agents').click();
    await heading('Agents').waitFor();
  });

  afterEach(() => {
    const problems = rig.problems.splice(0);
    expect(problems).toEqual([]);
  });

  afterAll(async () => {
    await rig?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  const heading = (name: string, on: Page = page) =>
    on.getByRole('heading', { level: 1, name, exact: true });
  const nav = (name: string, on: Page = page) =>
    on.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name, exact: true });
  const section = (name: string, on: Page = page) => on.getByRole('region', { name });
  const toolRow = (name: string, on: Page = page) =>
    section('Tools', on).locator(`[data-tool="${name}"]`);
  const modeOf = (name: string, on: Page = page) =>
    on.getByRole('radiogroup', { name: `Mode of ${name}` });
  const checkedMode = (name: string, on: Page = page) =>
    modeOf(name, on).locator('input:checked').getAttribute('value');
  const coreModes = async () => {
    const answer = await rig.core.dispatch('tools:list', {});
    if (!('result' in answer)) throw new Error('tools:list failed');
    return Object.fromEntries(answer.result.map((tool) => [tool.name, tool.mode]));
  };
  const connectButton = () =>
    section('Connect to Claude Desktop').getByRole('button', { name: 'Connect to Claude Desktop' });

  /** Leaves the view and comes back: the connection is read when the view appears. */
  async function reopenAgents() {
    await nav('Activity').click();
    await heading('Activity').waitFor();
    await nav('Agents').click();
    await heading('Agents').waitFor();
  }

  it('lists the built-in tools with their defaults, source and description', async () => {
    const tools = section('Tools');
    await toolRow('http_request').waitFor();
    expect(
      await tools
        .locator('[data-tool]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-tool'))),
    ).toEqual(['list_credentials', 'credential_info', 'http_request']);
    expect(await checkedMode('list_credentials')).toBe('allow');
    expect(await checkedMode('credential_info')).toBe('allow');
    expect(await checkedMode('http_request')).toBe('ask');
    for (const name of ['list_credentials', 'credential_info', 'http_request']) {
      const text = (await toolRow(name).textContent()) ?? '';
      expect(text).toContain('Built-in');
      expect(text).toContain('Default');
      // Each radio is labelled, so the group reads "Off, Ask, Allow".
      expect(
        await modeOf(name)
          .getByRole('radio')
          .evaluateAll((radios) => radios.map((r) => r.parentElement?.textContent)),
      ).toEqual(['Off', 'Ask', 'Allow']);
    }
    expect(await toolRow('http_request').textContent()).toContain(
      "Make an HTTP request with a stored credential's authentication",
    );
    await rig.screenshot(page, '80-agents');
  });

  it('turns http_request off with a click, and the core keeps it', async () => {
    await modeOf('http_request').getByRole('radio', { name: 'Off' }).check();
    await expect.poll(coreModes).toMatchObject({ http_request: 'off' });
    // The person chose: no longer the default, and the default is named instead.
    await expect.poll(() => toolRow('http_request').textContent()).toContain('default: Ask');
    expect(await toolRow('http_request').locator('.badge-default').count()).toBe(0);
    expect(await checkedMode('http_request')).toBe('off');

    // A fresh page reads it back from the core.
    const other = await rig.newPage();
    await other.goto('/');
    await nav('Agents', other).click();
    await toolRow('http_request', other).waitFor();
    expect(await checkedMode('http_request', other)).toBe('off');
    await other.close();
  });

  it('changes modes with the keyboard and follows changes made elsewhere', async () => {
    const allow = modeOf('credential_info').getByRole('radio', { name: 'Allow' });
    await allow.focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(coreModes).toMatchObject({ credential_info: 'ask' });
    expect(await checkedMode('credential_info')).toBe('ask');
    const focus = await focusReport(page);
    expect(focus).toMatchObject({ tag: 'input', focusVisible: true });
    // The ring is drawn on the segment (the radio itself is invisible): it must be there.
    const ring = await page.evaluate<string>(
      `getComputedStyle(document.activeElement.nextElementSibling).boxShadow`,
    );
    expect(ring).toMatch(/inset/);
    await rig.screenshot(page, '81-agents-tool-keyboard');

    // Changed by the tray or another window: tools:changed reaches this page.
    expect(
      await rig.core.dispatch('tools:setMode', { name: 'http_request', mode: 'allow' }),
    ).toHaveProperty('result');
    await expect.poll(() => checkedMode('http_request')).toBe('allow');
    expect(
      await rig.core.dispatch('tools:setMode', { name: 'http_request', mode: 'ask' }),
    ).toHaveProperty('result');
    expect(
      await rig.core.dispatch('tools:setMode', { name: 'credential_info', mode: 'allow' }),
    ).toHaveProperty('result');
    await expect.poll(() => checkedMode('http_request')).toBe('ask');
  });

  it('shows the snippet for other MCP clients and copies it', async () => {
    const answer = await rig.core.dispatch('agents:connection', {});
    if (!('result' in answer)) throw new Error('agents:connection failed');
    const snippet = section('Other MCP clients').locator('pre');
    expect(await snippet.textContent()).toBe(answer.result.snippet);
    const parsed = JSON.parse(answer.result.snippet) as {
      mcpServers: { custodian: { command: string; args: string[] } };
    };
    expect(parsed.mcpServers.custodian.args.slice(-2)).toEqual(['--data', rig.dataDir]);

    await section('Other MCP clients')
      .getByRole('button', { name: 'Copy the configuration' })
      .click();
    await page.getByText('Copied the configuration to the clipboard.').waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(
      answer.result.snippet,
    );
  });

  it('lists the agents connected over the bridge, live', async () => {
    const connected = section('Connected agents');
    await connected.getByText('No agent is connected right now.').waitFor();
    await rig.core.startBridge();
    const client = bridgeClientFor(
      rig.dataDir,
      { name: 'claude-ai', version: '0.9.1' },
      { reconnect: false },
    );
    try {
      await client.connect();
      const list = connected.getByRole('list', { name: 'Connected agents' });
      await list.waitFor();
      expect(await list.getByRole('listitem').count()).toBe(1);
      expect(await list.textContent()).toMatch(/^claude-ai 0\.9\.1 connected since /);
      await rig.screenshot(page, '82-agents-connected');
    } finally {
      await client.close();
    }
    await connected.getByText('No agent is connected right now.').waitFor();
  });

  it('says when Claude Desktop is not installed, and cannot connect then', async () => {
    const claude = section('Connect to Claude Desktop');
    expect(await claude.textContent()).toContain('Not available');
    expect(await claude.textContent()).toContain(`${claudeFolder()} does not exist`);
    expect(await connectButton().isDisabled()).toBe(true);
  });

  it('connects to Claude Desktop, keeping what the config already had', async () => {
    await mkdir(claudeFolder(), { recursive: true });
    const before = {
      globalShortcut: 'Alt+Space',
      mcpServers: { other: { command: 'other-mcp', args: [] } },
    };
    await writeFile(configFile(), `${JSON.stringify(before, null, 2)}\n`);
    await reopenAgents();
    const claude = section('Connect to Claude Desktop');
    await claude.getByText('Not connected', { exact: true }).waitFor();
    expect(await claude.textContent()).toContain(configFile());
    await rig.screenshot(page, '83-claude-not-connected');

    await connectButton().click();
    const done = claude.getByRole('status').filter({ hasText: 'Connected.' });
    await done.waitFor();
    const written = JSON.parse(await readFile(configFile(), 'utf8')) as {
      globalShortcut: string;
      mcpServers: Record<string, { args: string[] }>;
    };
    expect(written.globalShortcut).toBe('Alt+Space');
    expect(Object.keys(written.mcpServers)).toEqual(['other', 'custodian']);
    expect(written.mcpServers.custodian?.args.slice(-2)).toEqual(['--data', rig.dataDir]);
    // The previous file was kept, and the message says where.
    const backups = (await readdir(claudeFolder())).filter(
      (name) => name !== 'claude_desktop_config.json',
    );
    expect(backups).toHaveLength(1);
    expect(await done.textContent()).toContain(join(claudeFolder(), backups[0] ?? ''));
    expect(JSON.parse(await readFile(join(claudeFolder(), backups[0] ?? ''), 'utf8'))).toEqual(
      before,
    );
    await claude
      .locator('.badge')
      .filter({ hasText: /^Connected$/ })
      .waitFor();
    await rig.screenshot(page, '84-claude-connected');

    await connectButton().click();
    await claude.getByRole('status').filter({ hasText: 'Already connected' }).waitFor();
  });

  it('updates an outdated entry', async () => {
    const config = JSON.parse(await readFile(configFile(), 'utf8')) as {
      mcpServers: Record<string, { command: string }>;
    };
    const custodian = config.mcpServers.custodian;
    if (!custodian) throw new Error('no custodian entry');
    custodian.command = '/old/place/custodian';
    await writeFile(configFile(), JSON.stringify(config, null, 2));
    await reopenAgents();
    const claude = section('Connect to Claude Desktop');
    await claude.getByText('Needs an update').waitFor();
    await connectButton().click();
    await claude.getByRole('status').filter({ hasText: 'Updated.' }).waitFor();
    await claude
      .locator('.badge')
      .filter({ hasText: /^Connected$/ })
      .waitFor();
    const after = JSON.parse(await readFile(configFile(), 'utf8')) as typeof config;
    expect(after.mcpServers.custodian?.command).not.toBe('/old/place/custodian');
  });

  it('refuses a config that is not valid JSON and leaves it byte for byte', async () => {
    const broken = Buffer.from('{\n  "mcpServers": {\n    "other": { "command": "x", }\n', 'utf8');
    await writeFile(configFile(), broken);
    const filesBefore = (await readdir(claudeFolder())).sort();
    await reopenAgents();
    const claude = section('Connect to Claude Desktop');
    await claude.getByText('Config not readable').waitFor();

    await connectButton().click();
    const refusal = claude.locator('.alert-error').filter({ hasText: 'is not valid JSON' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/untouched|left as it was|unchanged/i);
    expect((await readFile(configFile())).equals(broken)).toBe(true);
    expect((await readdir(claudeFolder())).sort()).toEqual(filesBefore);
    await rig.screenshot(page, '85-claude-refused');
  });

  it('saves the MCP Bundle where the save dialog says, beside Connect, and nothing when it is closed', async () => {
    const claude = section('Connect to Claude Desktop');
    const install = claude.getByRole('button', { name: 'Install in Claude Desktop (.mcpb)' });
    // Beside Connect, in one row.
    const [connectBox, installBox] = await Promise.all([
      connectButton().boundingBox(),
      install.boundingBox(),
    ]);
    expect(installBox?.y).toBe(connectBox?.y);
    expect(installBox?.x ?? 0).toBeGreaterThan(connectBox?.x ?? 0);

    const saves = () => rig.ipcLog.filter((call) => call.channel === 'agents:saveClaudeBundle');
    bundleTarget = null;
    await install.click();
    await eventually(() => saves().length === 1, { message: 'the closed save dialog answered' });
    expect(saves()[0]?.response).toBe(JSON.stringify({ result: { path: null } }));
    expect(await claude.getByText('Saved.').count()).toBe(0);

    bundleTarget = join(home, 'Downloads', 'custodian.mcpb');
    await mkdir(join(home, 'Downloads'), { recursive: true });
    await install.click();
    const saved = claude.getByRole('status').filter({ hasText: 'Saved.' });
    await saved.waitFor();
    expect(await saved.textContent()).toContain(bundleTarget);
    expect((await readFile(bundleTarget)).equals(await readFile(MCPB))).toBe(true);
    await rig.screenshot(page, '120-claude-install-mcpb');
  });

  it('fits a 200% zoom window without sideways scrolling', async () => {
    const zoomed = await rig.newPage(ZOOM_200);
    await zoomed.goto('/');
    await nav('Agents', zoomed).click();
    await toolRow('http_request', zoomed).waitFor();
    await section('Other MCP clients', zoomed).locator('pre').waitFor();
    const overflow = await horizontalOverflow(zoomed);
    expect(overflow.offenders).toEqual([]);
    expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.clientWidth);
    await rig.screenshot(zoomed, '86-zoom-200-agents');
    await zoomed.close();
  });
});
