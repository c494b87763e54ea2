import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClientFor, type BridgeClient } from '../../../electron/core/bridge';
import type { Core } from '../../../electron/core/create-core';
import type { PendingApproval } from '../../../electron/core/agents/policy';
import { createHeadlessCore } from '../../../electron/headless/headless-core';
import { makeTempDir, resultOf, TEST_KDF_COST } from '../../support/core-fixture';
import { eventually } from '../../support/eventually';

// Issue 14, point 2, with a window: the command line's first admin request
// asks the person; Allow opens a session until lock or 10 idle minutes (a
// fake clock here); a change that weakens protection is asked about each
// time even inside the session; each answer is in the audit log. A real core
// with window approvals, the real admin socket and token; the person's
// answers go through the same broker the window's buttons reach.

const START = Date.parse('2026-06-01T10:00:00Z');
let clock = START;
let core: Core;
let dataDir: string;
const keychainService = `custodian-test-${randomUUID()}`;

beforeAll(async () => {
  dataDir = await makeTempDir('cadm-');
  core = await createHeadlessCore({
    dataDir,
    keychainService,
    kdfCost: TEST_KDF_COST,
    approvals: { kind: 'window' },
    now: () => new Date(clock),
    monotonic: () => clock,
  });
  resultOf(await core.dispatch('vault:create', {}));
  await core.startBridge();
});
afterAll(async () => {
  await core?.close();
  for (const { account } of await keytar.findCredentials(keychainService).catch(() => []))
    await keytar.deletePassword(keychainService, account);
  await rm(dataDir, { recursive: true, force: true });
});

/** One command line: its own connection, as each `custodian` command has. */
async function commandLine<T>(use: (client: BridgeClient) => Promise<T>): Promise<T> {
  const client = adminClientFor(
    dataDir,
    { name: 'custodian-cli', version: 'test' },
    { reconnect: false, defaultTimeoutMs: 120_000 },
  );
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

/** The question now waiting for the person. */
const asked = () =>
  eventually(() => {
    const [first, ...rest] = core.agents.pending();
    expect(rest).toEqual([]);
    if (!first) throw new Error('nothing asked yet');
    return first;
  });

const answer = (approval: PendingApproval, decision: 'once' | 'deny') =>
  expect(core.agents.answer(approval.id, decision)).toBe(true);

const setMode = (name: string, mode: 'off' | 'ask' | 'allow') =>
  commandLine((c) => c.call('tools:setMode', { name, mode }));

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'answered',
    (error: { code: string; message: string }) => ({ code: error.code, message: error.message }),
  );

describe('the admin channel in the app', () => {
  it('asks the person at the first request, Allow or Deny only, with what the OS tells of the program', async () => {
    const listing = commandLine((c) => c.call('credentials:list', {}));
    const question = await asked();
    expect(question).toMatchObject({
      kind: 'admin',
      question: 'Allow the custodian command line to manage Custodian?',
      client: 'custodian command line',
      tool: 'command line session',
      credential: null,
    });
    // Node cannot read the peer's credentials: the dialog says so and invents nothing.
    expect(question.summary).toContain('Program: not told by the OS');
    expect(question.summary).toContain('PID: not told by the OS');
    expect(question.summary).toContain('First request: credentials.list');
    // "For 10 minutes" is no answer to an admin question.
    expect(() => core.agents.answer(question.id, 'ten_minutes')).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    );
    answer(question, 'once');
    expect(await listing).toEqual({ credentials: [] });
  });

  it('inside the session, asks nothing for a change that weakens nothing', async () => {
    expect((await setMode('http_request', 'off')).tool.mode).toBe('off');
    expect(core.agents.pending()).toEqual([]);
  });

  it('asks again for a tool set to allow, every time, saying what changes', async () => {
    for (let i = 0; i < 2; i++) {
      const set = setMode('http_request', 'allow');
      const question = await asked();
      expect(question).toMatchObject({
        kind: 'admin',
        question: 'Allow this change from the custodian command line?',
        tool: 'weakening change (tools.setMode)',
        summary: 'Set the tool http_request to allow: agents may run it without asking you.',
      });
      answer(question, 'once');
      expect((await set).tool.mode).toBe('allow');
    }
  });

  it('Deny refuses the change with a clear error, and nothing changes', async () => {
    await setMode('credential_info', 'off');
    const set = refusal(setMode('credential_info', 'allow'));
    answer(await asked(), 'deny');
    expect(await set).toEqual({
      code: 'forbidden',
      message:
        'The person in the Custodian window did not allow this change: Set the tool credential_info to allow: agents may run it without asking you.',
    });
    const tools = await core.agents.tools();
    expect(tools.find((t) => t.name === 'credential_info')?.mode).toBe('off');
  });

  it('ends the session after 10 idle minutes (fake clock)', async () => {
    clock += 9 * 60_000 + 59_000;
    await commandLine((c) => c.call('tools:policy', {}));
    expect(core.agents.pending()).toEqual([]);
    // Idle counts from the last request: ten minutes after it, the next one asks.
    clock += 10 * 60_000;
    const listing = commandLine((c) => c.call('tools:policy', {}));
    const question = await asked();
    expect(question.tool).toBe('command line session');
    answer(question, 'once');
    await listing;
  });

  it('ends the session at lock; locked, it refuses without asking', async () => {
    resultOf(await core.dispatch('vault:lock', {}));
    const locked = await refusal(commandLine((c) => c.call('catalogs:list', {})));
    expect(locked).toMatchObject({ code: 'vault_locked' });
    expect(core.agents.pending()).toEqual([]);
    resultOf(await core.dispatch('vault:unlock', {}));
    const listing = refusal(commandLine((c) => c.call('catalogs:list', {})));
    const question = await asked();
    expect(question.tool).toBe('command line session');
    answer(question, 'deny');
    expect(await listing).toEqual({
      code: 'forbidden',
      message:
        'The person in the Custodian window did not allow the command line to manage Custodian.',
    });
  });

  it('records each answer in the audit log, by the person', async () => {
    const entries = await core.agents.audit.query({ limit: 100 });
    // Newest first, as the Activity view lists them: read oldest first here.
    const admin = [...entries]
      .reverse()
      .filter((e) => e.client.startsWith('custodian-cli (connection '))
      .map((e) => [e.tool, e.outcome, e.decision, e.detail]);
    expect(admin).toEqual([
      ['command line session', 'approved', 'person', 'first request: credentials.list'],
      ['weakening change (tools.setMode)', 'approved', 'person', 'http_request set to allow'],
      ['weakening change (tools.setMode)', 'approved', 'person', 'http_request set to allow'],
      ['weakening change (tools.setMode)', 'denied', 'person', 'credential_info set to allow'],
      ['command line session', 'approved', 'person', 'first request: tools.list'],
      ['command line session', 'denied', 'person', 'first request: catalogs.list'],
    ]);
  });
});
