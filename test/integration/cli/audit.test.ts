import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs/promises';
import { AuditLog } from '../../../electron/core/audit';
import { bridgeClientFor } from '../../../electron/core/bridge';
import { attackerKey, forgedChain, relink } from '../audit/tamper-tools';
import { cli, makeSandbox, serve, stopServers, type Sandbox, type Server } from './cli-harness';

// `custodian audit list` and `custodian audit verify` against `custodian
// serve`, and each way of rewriting the log that issue 14 lists, caught by
// verify with a non-zero exit and the first problem named.

let sandbox: Sandbox;
let server: Server | undefined;
let auditFile: string;

/** An agent on the socket, as the bridge connects: every call it makes is audited. */
async function agentCalls(name: string, calls: { tool: string; args?: object }[]) {
  const client = bridgeClientFor(
    sandbox.dataDir,
    { name, version: '1.0.0' },
    { reconnect: false, connectTimeoutMs: 5_000, defaultTimeoutMs: 30_000 },
  );
  await client.connect();
  try {
    for (const { tool, args } of calls)
      await client.call('tools:call', { name: tool, arguments: { ...args } });
  } finally {
    await client.close();
  }
}

/** Entries from before the audit key: more than one page of `audit list` holds. */
const OLD_ENTRIES = 1200;

beforeAll(async () => {
  sandbox = await makeSandbox();
  auditFile = join(sandbox.dataDir, 'audit', 'audit.jsonl');
  const old = new AuditLog({ folder: join(sandbox.dataDir, 'audit'), fs });
  for (let i = 0; i < OLD_ENTRIES; i++)
    await old.append({
      client: 'old-agent',
      tool: 'list_credentials',
      credential: null,
      outcome: 'succeeded',
      payload: { i },
    });
  await old.close();
  expect((await cli(sandbox, ['init', '--recovery-file', join(sandbox.dataDir, 'rec')])).code).toBe(
    0,
  );
  server = await serve(sandbox);
  await agentCalls('agent-a', [
    { tool: 'list_credentials' },
    { tool: 'list_credentials', args: { query: 'x' } },
  ]);
  await agentCalls('agent-b', [{ tool: 'list_credentials' }, { tool: 'no_such_tool' }]);
});
afterAll(async () => {
  await stopServers();
  await sandbox?.cleanup();
});

const lines = async () => (await readFile(auditFile, 'utf8')).split('\n').filter(Boolean);
const writeLines = (content: string[]) =>
  writeFile(auditFile, content.map((l) => `${l}\n`).join(''));

async function expectCaught(reason: RegExp) {
  const out = await cli(sandbox, ['audit', 'verify']);
  expect(out.code).toBe(1);
  expect(out.stderr).toMatch(/^custodian: the audit log failed its check: /);
  expect(out.stderr).toMatch(reason);
}

describe('custodian audit list', () => {
  it('shows every kept entry, not a page, and filters by tool, client and time', async () => {
    const all = await cli(sandbox, ['audit', 'list', '--json']);
    expect(all.code).toBe(0);
    const entries = JSON.parse(all.stdout) as { seq: number; client: string; tool: string }[];
    // Oldest first, every one: the older unkeyed entries, the keyed entry, the agents' calls.
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i));
    expect(entries.length).toBe((await lines()).length);
    expect(entries.slice(OLD_ENTRIES).map((e) => `${e.client} ${e.tool}`)).toEqual([
      'custodian audit log',
      'agent-a (connection 1) list_credentials',
      'agent-a (connection 1) list_credentials',
      'agent-b (connection 2) list_credentials',
      'agent-b (connection 2) no_such_tool',
    ]);
    const byClient = await cli(sandbox, ['audit', 'list', '--client', 'agent-b', '--json']);
    expect((JSON.parse(byClient.stdout) as { seq: number }[]).map((e) => e.seq)).toEqual([
      OLD_ENTRIES + 3,
      OLD_ENTRIES + 4,
    ]);
    const byTool = await cli(sandbox, ['audit', 'list', '--tool', 'no_such_tool']);
    expect(byTool.stdout.split('\n')[0]).toMatch(/^SEQ\s+TIME\s+CLIENT\s+TOOL/);
    expect(byTool.stdout.trim().split('\n')).toHaveLength(2);
    const future = await cli(sandbox, ['audit', 'list', '--since', '2999-01-01']);
    expect(future).toMatchObject({ code: 0, stdout: '', stderr: 'custodian: no entries match\n' });
    const past = await cli(sandbox, ['audit', 'list', '--since', '2000-01-01', '--json']);
    expect(JSON.parse(past.stdout)).toHaveLength(entries.length);
    const bad = await cli(sandbox, ['audit', 'list', '--since', 'yesterday-ish']);
    expect(bad.code).toBe(2);
  });
});

describe('custodian audit verify', () => {
  let original: string[];
  beforeAll(async () => {
    original = await lines();
  });

  it('exits 0 on the untouched log', async () => {
    const out = await cli(sandbox, ['audit', 'verify']);
    expect(out.code).toBe(0);
    expect(out.stderr).toBe(
      `custodian: the audit log is intact: ${original.length} entries checked\n`,
    );
  });

  it('catches a line edited and the chain recomputed, unkeyed or with another key', async () => {
    const edited = [...original];
    const at = OLD_ENTRIES + 1;
    edited[at] = (edited[at] ?? '').replace(
      '"client":"agent-a (connection 1)"',
      '"client":"agent-b (connection 1)"',
    );
    expect(edited[at]).not.toBe(original[at]);
    await writeLines(relink(edited, undefined));
    // The older unkeyed part relinks to itself; the first keyed line is where it breaks.
    await expectCaught(/line 1201 of audit\.jsonl: an unkeyed entry where the log is keyed/);
    await writeLines(relink(edited, attackerKey()));
    await expectCaught(/line 1 of audit\.jsonl: MAC does not match its content/);
    await writeLines(original);
  });

  it('catches the last entries cut', async () => {
    await writeLines(original.slice(0, 2));
    await expectCaught(
      /the log ends at entry 1, but the vault anchors entry \d+: its last entries were cut/,
    );
    await writeLines(original);
  });

  it('catches the file emptied or deleted', async () => {
    await writeLines([]);
    await expectCaught(/the log is empty or deleted, but the vault anchors entry \d+/);
    await rm(auditFile);
    await expectCaught(/the log is empty or deleted/);
    await writeLines(original);
  });

  it('catches a chain forged from nothing', async () => {
    await writeLines(forgedChain(original.length + 3));
    // Unkeyed lines are taken only up to the point the vault recorded, and must end there.
    await expectCaught(
      /line 1200 of audit\.jsonl: not the unkeyed entry the vault recorded when the log was keyed/,
    );
    await writeLines(forgedChain(original.length + 3, attackerKey()));
    await expectCaught(/line 1 of audit\.jsonl: MAC does not match its content/);
    await writeLines(original);
    expect((await cli(sandbox, ['audit', 'verify'])).code).toBe(0);
  });

  it('catches the file replaced while the core runs (the core writes on in the new file, and says so)', async () => {
    const forged = join(sandbox.dataDir, 'audit', 'forged');
    await writeFile(
      forged,
      forgedChain(3)
        .map((l) => `${l}\n`)
        .join(''),
    );
    await rename(forged, auditFile);
    await agentCalls('agent-a', [{ tool: 'list_credentials' }]);
    const now = await lines();
    expect(now.some((l) => l.includes('"event":"reopened"'))).toBe(true);
    await expectCaught(/./);
  });

  it('runs without the vault only through the core: with serve stopped it says so', async () => {
    server?.signal('SIGTERM');
    expect(await server?.exited).toBe(0);
    server = undefined;
    const out = await cli(sandbox, ['audit', 'verify']);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/Custodian is not running/);
  });
});
