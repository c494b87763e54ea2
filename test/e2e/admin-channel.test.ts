import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli, type Outcome } from '../integration/cli/cli-harness';
import { startRig, type Rig } from './harness';
import { focusReport } from './page-checks';

// Issue 14, point 2, in the window: the custodian command line, run as a
// person runs it, against a core with window approvals (as the app runs it),
// whose questions reach the built renderer in Chromium through the real IPC
// handlers. The first admin request asks for a session; Allow opens it; a
// tool set to allow asks again each time, even inside it; Deny gives the
// command line a clear error; a lock ends the session. Tests run in order.

describe('the command line asks the person in the window', () => {
  let rig: Rig;
  let page: Page;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    rig = await startRig({ approvals: { kind: 'window' } });
    expect(await rig.core.dispatch('vault:create', {})).toHaveProperty('result');
    await rig.core.startBridge();
    env = { ...process.env, CUSTODIAN_DATA_DIR: rig.dataDir };
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
  });

  const heading = (name: string) => page.getByRole('heading', { level: 1, name, exact: true });
  const sessionQuestion = () =>
    page.getByRole('alertdialog', {
      name: 'Allow the custodian command line to manage Custodian?',
    });
  const changeQuestion = () =>
    page.getByRole('alertdialog', { name: 'Allow this change from the custodian command line?' });
  const run = (...args: string[]): Promise<Outcome> => cli({ env }, args);
  const modeOf = async (tool: string) =>
    (await rig.core.agents.tools()).find((t) => t.name === tool)?.mode;

  it('shows the first admin request as a session question: who asks, what, Allow or Deny only', async () => {
    const command = run('tool', 'set', 'http_request', 'allow');
    const dialog = sessionQuestion();
    await dialog.waitFor();
    expect(await dialog.locator('dl').textContent()).toBe('Asked bycustodian command line');
    const asks = (await dialog.locator('pre.payload').textContent()) ?? '';
    expect(asks).toContain('Program: not told by the OS');
    expect(asks).toContain('PID: not told by the OS');
    expect(asks).toContain('First request: tools.setMode');
    expect(await dialog.getByRole('button').allTextContents()).toEqual(['Deny', 'Allow']);
    // Deny has the focus: a stray Enter refuses.
    expect(await focusReport(page)).toMatchObject({ tag: 'button', text: 'Deny', inDialog: true });
    await rig.screenshot(page, '110-admin-session-question');

    await dialog.getByRole('button', { name: 'Allow', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    // Inside the session, the tool set to allow is asked about again, with what changes.
    const change = changeQuestion();
    await change.waitFor();
    expect(await change.locator('pre.payload').textContent()).toBe(
      'Set the tool http_request to allow: agents may run it without asking you.',
    );
    await expect
      .poll(() => focusReport(page))
      .toMatchObject({ tag: 'button', text: 'Deny', inDialog: true });
    await rig.screenshot(page, '111-admin-weakening-question');
    expect(await modeOf('http_request')).toBe('ask');
    await change.getByRole('button', { name: 'Allow', exact: true }).click();

    expect(await command).toEqual({
      code: 0,
      stdout: '',
      stderr: 'custodian: http_request is now allow\n',
    });
    expect(await modeOf('http_request')).toBe('allow');
  });

  it('asks nothing more for what weakens nothing, inside the session', async () => {
    expect(await run('tool', 'set', 'credential_info', 'off')).toMatchObject({ code: 0 });
    expect(rig.core.agents.pending()).toEqual([]);
  });

  it('asks again for every weakening change, and Deny gives the command line a clear error', async () => {
    const command = run('tool', 'set', 'credential_info', 'allow');
    const change = changeQuestion();
    await change.waitFor();
    expect(await change.locator('pre.payload').textContent()).toBe(
      'Set the tool credential_info to allow: agents may run it without asking you.',
    );
    await change.getByRole('button', { name: 'Deny', exact: true }).click();
    expect(await command).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'custodian: The person in the Custodian window did not allow this change: Set the tool credential_info to allow: agents may run it without asking you.\n',
    });
    expect(await modeOf('credential_info')).toBe('off');
    await changeQuestion().waitFor({ state: 'detached' });
  });

  it('ends the session at lock: after unlocking, the command line asks again', async () => {
    expect(await rig.core.dispatch('vault:lock', {})).toHaveProperty('result');
    expect(await rig.core.dispatch('vault:unlock', {})).toHaveProperty('result');
    await heading('Credentials').waitFor();
    const command = run('credential', 'list');
    const dialog = sessionQuestion();
    await dialog.waitFor();
    // Escape denies, as in every approval.
    await page.keyboard.press('Escape');
    expect(await command).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'custodian: The person in the Custodian window did not allow the command line to manage Custodian.\n',
    });
  });

  it('shows each answer in Activity, decided by the person', async () => {
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: 'Activity', exact: true })
      .click();
    await heading('Activity').waitFor();
    const rows = page.locator('table.audit-table tbody tr');
    await expect.poll(() => rows.count()).toBe(4);
    const tools = await rows.locator('td[data-label="Tool"]').allTextContents();
    expect(tools).toEqual([
      'command line session',
      'weakening change (tools.setMode)',
      'weakening change (tools.setMode)',
      'command line session',
    ]);
    const outcomes = await rows.locator('td[data-label="Outcome"]').allTextContents();
    expect(outcomes).toEqual(['Deniedby you', 'Deniedby you', 'Approvedby you', 'Approvedby you']);
    await rig.screenshot(page, '112-activity-admin-answers');
  });
});
