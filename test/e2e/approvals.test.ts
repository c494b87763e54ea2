import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBundle } from '../integration/bridge/bundle';
import { startRig, ZOOM_200, type Rig } from './harness';
import { focusReport, horizontalOverflow, pageText } from './page-checks';

// Approvals and the audit trail through the window, with window-mode approvals
// on a real headless core: an agent's call (made in-process, exactly as the
// bridge makes it) waits for the page's dialog; Deny, Allow once and Allow for
// 10 minutes each reach the call; the Activity view lists what happened; the
// integrity check finds an edited log line. The "API" is a real HTTP server on
// 127.0.0.1, which the credential allows by name, so an allowed call really
// goes out with the credential added. Tests run in order on one vault.

const run = Date.now().toString(36);
const SECRET = `ghp-e2e-${run}-do-not-show`;
const CLIENT = 'claude-ai';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

type ToolResult = Awaited<ReturnType<Rig['core']['agents']['call']>>;

const textOf = (result: ToolResult) => result.content.map((part) => part.text).join('\n');

describe('approvals and activity in the window', () => {
  let rig: Rig;
  let page: Page;
  let api: Server;
  let apiHost: string;
  const received: Received[] = [];

  beforeAll(async () => {
    api = createServer((request, response) => {
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
      });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ login: 'octocat' }));
    });
    await new Promise<void>((listening) => api.listen(0, '127.0.0.1', () => listening()));
    apiHost = `127.0.0.1:${(api.address() as AddressInfo).port}`;

    rig = await startRig({ approvals: { kind: 'window' } });
    expect(await rig.core.dispatch('vault:create', {})).toHaveProperty('result');
    expect(
      await rig.core.dispatch('credentials:create', {
        type: 'api_key',
        name: 'GitHub',
        description: 'Work account',
        fields: {
          key: SECRET,
          header_name: 'Authorization',
          header_prefix: 'Bearer ',
          allowed_hosts: `http://${apiHost}`,
        },
      }),
    ).toHaveProperty('result');

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
    await new Promise<void>((done) => (api ? api.close(() => done()) : done()));
  });

  const heading = (name: string, on: Page = page) =>
    on.getByRole('heading', { level: 1, name, exact: true });
  const nav = (name: string) =>
    page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name, exact: true });
  const approval = (tool = 'http_request') =>
    page.getByRole('alertdialog', { name: `Allow ${tool}?` });
  const button = (name: string) => approval().getByRole('button', { name, exact: true });
  const url = (path: string) => `http://${apiHost}${path}`;

  /** Starts an agent's call the way the bridge does, without waiting for its answer. */
  const call = (path: string, args: Record<string, unknown> = {}) =>
    rig.core.agents.call(CLIENT, 'http_request', {
      credential: 'GitHub',
      method: 'GET',
      url: url(path),
      ...args,
    });

  /** The answer to a call, or "still waiting" after a short while. */
  const settledWithin = (promise: Promise<ToolResult>, ms: number) =>
    Promise.race([
      promise,
      new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), ms)),
    ]);

  it('shows a waiting call with its agent, tool, credential, exact request and countdown; Deny refuses it', async () => {
    const pending = call('/user', { headers: { Accept: 'application/vnd.github+json' } });
    const dialog = approval();
    await dialog.waitFor();

    const facts = dialog.locator('dl');
    // Issue 14: the name is only what the client calls itself, and the dialog says so.
    expect(await facts.textContent()).toBe(
      `Agent${CLIENT} (the name the client calls itself)Toolhttp_requestCredentialGitHub`,
    );
    expect(await dialog.textContent()).toContain(
      `An agent calling itself ${CLIENT} asks to use one of your credentials.`,
    );
    expect(await dialog.textContent()).toContain(
      'Any other connection is asked again, even one using the same name.',
    );
    const payload = dialog.locator('pre.payload');
    // Verbatim: the request line, its host and the agent's own header, line by line.
    const summary = (await payload.textContent()) ?? '';
    expect(summary.split('\n').slice(0, 3)).toEqual([
      `GET ${url('/user')}`,
      `Host: ${apiHost}`,
      'Accept: application/vnd.github+json',
    ]);
    // The same text the core asks about, character for character.
    const [asked] = rig.core.agents.broker.pending();
    expect(summary).toBe(asked?.summary);
    expect(await dialog.locator('code[title]').textContent()).toBe(asked?.payloadHash.slice(0, 12));
    expect(await dialog.getByRole('timer').textContent()).toMatch(
      /^Denied automatically in (60|5\d) s if you do not answer\.$/,
    );
    // Deny has the focus: a stray Enter refuses.
    const focus = await focusReport(page);
    expect(focus).toMatchObject({ tag: 'button', text: 'Deny', inDialog: true });
    expect(await pageText(page)).not.toContain(SECRET);
    await rig.screenshot(page, '70-approval-dialog');

    // Nothing went out while the person was deciding.
    expect(await settledWithin(pending, 300)).toBe('waiting');
    expect(received).toHaveLength(0);

    await button('Deny').click();
    const result = await pending;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('The person denied this http_request call in Custodian.');
    await dialog.waitFor({ state: 'detached' });
    expect(received).toHaveLength(0);
    expect(rig.core.agents.broker.pending()).toEqual([]);
  });

  it('Allow once lets exactly that call through, with the credential added by the core', async () => {
    const pending = call('/user');
    await approval().waitFor();
    await button('Allow once').click();
    const result = await pending;
    expect(result.isError ?? false).toBe(false);
    expect(textOf(result)).not.toMatch(/denied/i);
    expect(textOf(result)).toContain('octocat');
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'GET', url: '/user' });
    // Compared, not printed: a failing assertion must not show the secret.
    expect(received[0]?.headers.authorization === `Bearer ${SECRET}`).toBe(true);
    await approval().waitFor({ state: 'detached' });

    // "Once" means once: the same call asks again.
    const again = call('/user');
    await approval().waitFor();
    await button('Deny').click();
    expect((await again).isError).toBe(true);
    expect(received).toHaveLength(1);
  });

  it('Escape denies, and a call settled elsewhere closes its dialog', async () => {
    const escaped = call('/escape');
    await approval().waitFor();
    await page.keyboard.press('Escape');
    expect(textOf(await escaped)).toBe('The person denied this http_request call in Custodian.');
    await approval().waitFor({ state: 'detached' });

    // Answered by someone else (here the core itself, as a lock or the timeout
    // would): approvals:changed reaches the page and the dialog goes away.
    const elsewhere = call('/elsewhere');
    await approval().waitFor();
    const [waiting] = rig.core.agents.broker.pending();
    expect(waiting && rig.core.agents.answer(waiting.id, 'deny')).toBe(true);
    expect((await elsewhere).isError).toBe(true);
    await approval().waitFor({ state: 'detached' });
    expect(received.map((r) => r.url)).toEqual(['/user']);
  });

  it('shows waiting calls one at a time, oldest first', async () => {
    const first = call('/first');
    await approval().waitFor();
    const second = call('/second', { method: 'POST', body: 'line one\nline two' });
    await expect.poll(() => approval().textContent()).toContain('1 more request is waiting.');
    expect(await approval().locator('pre.payload').textContent()).toContain(url('/first'));
    await rig.screenshot(page, '71-approval-queue');

    await button('Deny').click();
    expect((await first).isError).toBe(true);
    // The next one is a new dialog: its own payload, multi-line body verbatim, Deny focused again.
    await expect
      .poll(() => approval().locator('pre.payload').textContent())
      .toContain(`POST ${url('/second')}`);
    expect(await approval().locator('pre.payload').textContent()).toContain('\nline one\nline two');
    expect(await approval().textContent()).not.toContain('more request');
    await expect.poll(async () => (await focusReport(page)).text).toBe('Deny');
    await button('Deny').click();
    expect((await second).isError).toBe(true);
    await approval().waitFor({ state: 'detached' });
  });

  it('fits a 200% zoom window without sideways scrolling', async () => {
    const zoomed = await rig.newPage(ZOOM_200);
    await zoomed.goto('/');
    await heading('Credentials', zoomed).waitFor();
    const pending = call('/zoom');
    const dialog = zoomed.getByRole('alertdialog', { name: 'Allow http_request?' });
    await dialog.waitFor();
    // Both pages show the same approval; either may answer it.
    await approval().waitFor();
    const overflow = await horizontalOverflow(zoomed);
    expect(overflow.offenders).toEqual([]);
    expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.clientWidth);
    await rig.screenshot(zoomed, '72-zoom-200-approval');
    await dialog.getByRole('button', { name: 'Deny', exact: true }).click();
    expect((await pending).isError).toBe(true);
    await approval().waitFor({ state: 'detached' });
    await zoomed.close();
  });

  it('says the agent withdrew its request when the MCP client cancels a waiting call, and logs it cancelled', async () => {
    // A real MCP client through the bundled bridge, as Claude Desktop would connect.
    await rig.core.startBridge();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [ensureBundle(), '--data', rig.dataDir],
      // Piped and drained: the bridge's log stays out of the test output and never blocks.
      stderr: 'pipe',
    });
    transport.stderr?.on('data', () => undefined);
    const agent = new Client({ name: CLIENT, version: '1.0.0' });
    await agent.connect(transport);
    try {
      const controller = new AbortController();
      // The SDK sends notifications/cancelled for this request when the signal fires.
      const pending = agent.callTool(
        {
          name: 'http_request',
          arguments: { credential: 'GitHub', method: 'GET', url: url('/withdrawn') },
        },
        undefined,
        { signal: controller.signal, timeout: 120_000 },
      );
      pending.catch(() => undefined);
      await approval().waitFor();
      expect(await approval().locator('pre.payload').textContent()).toContain(url('/withdrawn'));

      controller.abort();
      await expect(pending).rejects.toThrow();
      // The dialog gives way to a notice that says who withdrew what, and nothing more.
      const notice = page.getByRole('alertdialog', { name: 'Request withdrawn' });
      await notice.waitFor();
      expect(await notice.textContent()).toContain(
        `${CLIENT} withdrew its request to use http_request before you answered. It did not run.`,
      );
      expect(await approval().count()).toBe(0);
      expect(await pageText(page)).not.toContain(SECRET);
      await rig.screenshot(page, '78-approval-withdrawn');
      expect(rig.core.agents.broker.pending()).toEqual([]);

      // The audit log says so, and nothing went out.
      const records = await rig.core.dispatch('audit:query', { outcome: 'cancelled' });
      if (!('result' in records)) throw new Error('audit:query failed');
      expect(records.result.map((r) => [r.client, r.tool, r.outcome, r.detail])).toEqual([
        // Issue 14: the log names the connection beside the name the client gave.
        [
          expect.stringMatching(new RegExp(`^${CLIENT} \\(connection \\d+\\)$`)),
          'http_request',
          'cancelled',
          'the agent withdrew the call',
        ],
      ]);
      expect(received.map((r) => r.url)).not.toContain('/withdrawn');

      // It goes on its own after a few seconds (or at OK), and the next request can show.
      await notice.waitFor({ state: 'detached' });
    } finally {
      await agent.close();
    }
  });

  it('Allow for 10 minutes lets the same call through again without asking', async () => {
    const first = call('/user');
    await approval().waitFor();
    await button('Allow for 10 minutes').click();
    expect((await first).isError ?? false).toBe(false);
    await approval().waitFor({ state: 'detached' });
    const before = received.length;

    // No dialog at all this time: the call answers on its own.
    const second = await settledWithin(call('/user'), 5_000);
    expect(second).not.toBe('waiting');
    expect((second as ToolResult).isError ?? false).toBe(false);
    expect(received.length).toBe(before + 1);
    expect(await approval().count()).toBe(0);
    expect(rig.core.agents.broker.pending()).toEqual([]);
  });

  it('lists every call in Activity, newest first, with who decided and the payload hash', async () => {
    await nav('Activity').click();
    await heading('Activity').waitFor();
    const rows = page.locator('table.audit-table tbody tr');
    // The last call: allowed by the standing grant, then succeeded.
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(12);
    const cells = async (index: number) =>
      rows
        .nth(index)
        .locator('td')
        .evaluateAll((tds) => tds.map((td) => td.textContent ?? ''));
    const newest = await cells(0);
    expect(newest.slice(1, 5)).toEqual([CLIENT, 'http_request', 'GitHub', 'Succeeded']);
    expect(newest[6]).toMatch(/^[0-9a-f]{12}$/);
    const grant = await cells(1);
    expect(grant.slice(1, 5)).toEqual([
      CLIENT,
      'http_request',
      'GitHub',
      'Allowedby a 10-minute approval',
    ]);

    const outcomes = await rows.locator('td[data-label="Outcome"]').allTextContents();
    expect(outcomes.filter((o) => o === 'Deniedby you')).toHaveLength(7);
    expect(outcomes.filter((o) => o === 'Approvedby you')).toHaveLength(2);
    // Matches the audit log itself, entry for entry.
    const records = await rig.core.dispatch('audit:query', {});
    if (!('result' in records)) throw new Error('audit:query failed');
    expect(records.result).toHaveLength(await rows.count());
    const hashes = await rows.locator('td[data-label="Payload"] code').allTextContents();
    expect(hashes).toEqual(records.result.map((r) => r.payloadHash.slice(0, 12)));
    expect(await pageText(page)).not.toContain(SECRET);
    await rig.screenshot(page, '73-activity');
  });

  it('filters by outcome, tool and agent', async () => {
    const rows = page.locator('table.audit-table tbody tr');
    const outcome = page.getByRole('combobox', { name: 'Outcome' });
    await outcome.selectOption({ label: 'Denied' });
    await expect.poll(() => rows.count()).toBe(7);
    expect(new Set(await rows.locator('td[data-label="Outcome"]').allTextContents())).toEqual(
      new Set(['Deniedby you']),
    );
    await rig.screenshot(page, '74-activity-denied');

    await outcome.selectOption({ label: 'All outcomes' });
    await page.getByRole('combobox', { name: 'Tool' }).selectOption('list_credentials');
    await page.getByText('No activity matches these filters').waitFor();
    await page.getByRole('combobox', { name: 'Tool' }).selectOption('http_request');
    const agent = page.getByRole('combobox', { name: 'Agent' });
    // Issue 14: the MCP client that came through the bridge is listed by its connection.
    expect(await agent.locator('option').allTextContents()).toEqual([
      'All agents',
      CLIENT,
      expect.stringMatching(new RegExp(`^${CLIENT} \\(connection \\d+\\)$`)),
    ]);
    await agent.selectOption(CLIENT);
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(12);
    await agent.selectOption('');
    await page.getByRole('combobox', { name: 'Tool' }).selectOption('');
    // Unfiltered again before the next test counts rows.
    const all = await rig.core.dispatch('audit:query', {});
    if (!('result' in all)) throw new Error('audit:query failed');
    await expect.poll(() => rows.count()).toBe(all.result.length);
  });

  it('refreshes when a new entry is written', async () => {
    const rows = page.locator('table.audit-table tbody tr');
    const before = await rows.count();
    // list_credentials is allowed by default: no dialog, one entry for the call.
    const result = await rig.core.agents.call('cursor', 'list_credentials', {});
    expect(result.isError ?? false).toBe(false);
    await expect.poll(() => rows.count()).toBe(before + 1);
    const newest = rows.first();
    expect(await newest.locator('td[data-label="Agent"]').textContent()).toBe('cursor');
    expect(await newest.locator('td[data-label="Outcome"]').textContent()).toBe(
      'Succeededby the tool’s mode',
    );
    // The new agent is offered in the filter.
    await expect
      .poll(() => page.getByRole('combobox', { name: 'Agent' }).locator('option').allTextContents())
      .toEqual([
        'All agents',
        CLIENT,
        expect.stringMatching(new RegExp(`^${CLIENT} \\(connection \\d+\\)$`)),
        'cursor',
      ]);
  });

  it('shows Activity as one card per entry at 200% zoom, without sideways scrolling', async () => {
    const zoomed = await rig.newPage(ZOOM_200);
    await zoomed.goto('/');
    await heading('Credentials', zoomed).waitFor();
    await zoomed
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: 'Activity', exact: true })
      .click();
    const rows = zoomed.locator('table.audit-table tbody tr');
    await rows.first().waitFor();
    const overflow = await horizontalOverflow(zoomed);
    expect(overflow.offenders).toEqual([]);
    expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.clientWidth);
    // Each cell names its column, since the header row is out of sight there.
    expect(
      await zoomed.evaluate<string>(
        `getComputedStyle(document.querySelector('.audit-table tbody td'), '::before').content`,
      ),
    ).toBe('"Time"');
    await rig.screenshot(zoomed, '77-zoom-200-activity');
    await zoomed.close();
  });

  it('checks the chain: intact, then the edited line is named', async () => {
    await page.getByRole('button', { name: 'Check integrity' }).click();
    const records = await rig.core.dispatch('audit:query', { limit: 1000 });
    if (!('result' in records)) throw new Error('audit:query failed');
    const count = records.result.length;
    await page.getByText(`${count} entries, chain intact.`).waitFor();
    await rig.screenshot(page, '75-activity-intact');

    // Someone edits the third line's tool by hand: its hash no longer matches.
    const file = join(rig.dataDir, 'audit', 'audit.jsonl');
    const lines = (await readFile(file, 'utf8')).split('\n');
    const third = JSON.parse(lines[2] ?? '') as { tool: string };
    expect(third.tool).toBe('http_request');
    lines[2] = (lines[2] ?? '').replace('"tool":"http_request"', '"tool":"list_credentials"');
    expect(lines[2]).toContain('"tool":"list_credentials"');
    await writeFile(file, lines.join('\n'));

    await page.getByRole('button', { name: 'Check integrity' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'tampered' });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/line 3 of audit\.jsonl/);
    await expect.poll(() => page.getByText('chain intact').count()).toBe(0);
    await rig.screenshot(page, '76-activity-tampered');
  });
});
