import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resultOf } from '../../support/core-fixture';
import type { FaultRule } from '../../support/faulty-fs';
import { fixtureDir } from '../../support/plugin-fixtures';
import { addEchoCredential, leftovers, note, startFaultCore, type FaultCore } from './fault-core';

// Issue 19, point 1: the disk fills up (ENOSPC) or the quota is used up
// (EDQUOT) during a vault save, an audit append, a plugin install and a
// settings write. Injected through the core's own file-system port, half-way
// through a write as a full disk does. Each: a message naming the fault and
// the folder, nothing acknowledged changed, no temp file left, and the next
// try works once space is back, without a restart.

let fixture: FaultCore | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

const FULL = [
  ['ENOSPC', 'disk_full', 'No space left on the disk that holds'],
  ['EDQUOT', 'quota', 'Your disk quota is used up on the disk that holds'],
] as const;

const names = (f: FaultCore) => f.core.credentials.list().map((c) => c.name);

describe('a full disk', () => {
  it.each(FULL)(
    '%s during a vault save: nothing saved, no temp file, the next save works',
    async (code, reason, words) => {
      fixture = await startFaultCore();
      const { core, dataDir, faults } = fixture;
      resultOf(await core.dispatch('credentials:create', note('kept')));
      const before = await readFile(join(dataDir, 'vault.cvlt'));

      faults.inject({ op: 'write', code, where: (p) => p.includes('vault.cvlt.tmp-') });
      const failed = await core.dispatch('credentials:create', note('lost'));
      expect(failed).toEqual({
        error: {
          code: 'storage_failed',
          reason,
          message: `${words} ${dataDir}; nothing was saved.`,
        },
      });
      expect(faults.failures.length).toBe(1);
      expect(await leftovers(dataDir)).toEqual([]);
      expect(await readFile(join(dataDir, 'vault.cvlt'))).toEqual(before);
      expect(names(fixture)).toEqual(['kept']);

      // Space again: the next save lands, and it does not carry the failed one.
      faults.clear();
      resultOf(await core.dispatch('credentials:create', note('after')));
      await core.lifecycle.lock();
      resultOf(await core.dispatch('vault:unlock', {}));
      expect(names(fixture).sort()).toEqual(['after', 'kept']);
    },
  );

  it.each<[string, FaultRule[]]>([
    ['the backup link', [{ op: 'link', code: 'ENOSPC' }]],
    // Where the file system refuses hard links, the backup is a copy.
    [
      'the backup copy',
      [
        { op: 'link', code: 'EPERM' },
        { op: 'copyFile', code: 'ENOSPC' },
      ],
    ],
  ])('ENOSPC on %s: the vault stays, neither temp file stays', async (_what, rules) => {
    fixture = await startFaultCore();
    const { core, dataDir, faults } = fixture;
    resultOf(await core.dispatch('credentials:create', note('kept')));
    for (const rule of rules) faults.inject(rule);
    const failed = await core.dispatch('credentials:create', note('lost'));
    expect(failed).toMatchObject({ error: { code: 'storage_failed', reason: 'disk_full' } });
    expect(await leftovers(dataDir)).toEqual([]);
    faults.clear();
    await core.lifecycle.lock();
    resultOf(await core.dispatch('vault:unlock', {}));
    expect(names(fixture)).toEqual(['kept']);
  });

  it.each(FULL)(
    '%s during a settings write: the setting keeps its value',
    async (code, reason, words) => {
      fixture = await startFaultCore();
      const { core, dataDir, faults } = fixture;
      resultOf(await core.dispatch('settings:update', { autoLockMinutes: 10 }));
      faults.inject({ op: 'write', code, where: (p) => p.includes('settings.json') });
      expect(await core.dispatch('settings:update', { autoLockMinutes: 30 })).toEqual({
        error: {
          code: 'storage_failed',
          reason,
          message: `${words} ${dataDir}; nothing was saved.`,
        },
      });
      expect(resultOf(await core.dispatch('settings:get', {})).autoLockMinutes).toBe(10);
      expect(JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8'))).toMatchObject({
        autoLockMinutes: 10,
      });
      expect(await leftovers(dataDir)).toEqual([]);
      faults.clear();
      expect(
        resultOf(await core.dispatch('settings:update', { autoLockMinutes: 30 })),
      ).toMatchObject({
        autoLockMinutes: 30,
      });
    },
  );

  it.each(FULL)(
    '%s while staging a plugin install: not installed, no staging folder left',
    async (code, reason, words) => {
      fixture = await startFaultCore();
      const { core, dataDir, faults } = fixture;
      const plugins = join(dataDir, 'plugins');
      faults.inject({ op: 'write', code, where: (p) => p.includes('.staging-') });
      await expect(
        core.plugins.installFromDirectory(fixtureDir('echo'), { source: 'test' }),
      ).rejects.toMatchObject({
        code: 'storage_failed',
        reason,
        message: `${words} ${plugins}; the plugin was not installed.`,
      });
      expect(await leftovers(dataDir)).toEqual([]);
      expect(resultOf(await core.dispatch('plugins:list', {}))).toEqual([]);
      faults.clear();
      await core.plugins.installFromDirectory(fixtureDir('echo'), { source: 'test' });
      expect(resultOf(await core.dispatch('plugins:list', {})).map((p) => p.name)).toEqual([
        'echo',
      ]);
    },
  );
});

describe('a full disk under the audit log', () => {
  const start = async () => {
    fixture = await startFaultCore({
      approvals: { kind: 'headless', allowTools: ['fixture_echo', 'http_request'] },
    });
    await addEchoCredential(fixture.core);
    // One entry first, so the log's file exists and has a synced end to keep.
    await fixture.core.agents.call('cli', 'fixture_echo', {
      credential: 'echo-cred',
      message: 'one',
    });
    return fixture;
  };
  const trail = async (f: FaultCore) =>
    (await f.core.agents.audit.query({ tool: 'fixture_echo' })).map(
      (e) => `${e.outcome}${e.decision ? `/${e.decision}` : ''}`,
    );
  const auditFile = (p: string) => p.endsWith('audit.jsonl');

  it('a decision that cannot be written stops a call that reaches out before it runs (fail closed)', async () => {
    const f = await start();
    const { core, dataDir, faults } = f;
    const onDisk = await readFile(join(dataDir, 'audit', 'audit.jsonl'), 'utf8');
    const request = { credential: 'echo-cred', method: 'GET', url: 'https://example.com/' };

    faults.inject({ op: 'write', code: 'ENOSPC', where: auditFile });
    const result = await core.agents.call('cli', 'http_request', request);
    expect(result.isError).toBe(true);
    expect(result.content[0]?.text).toBe(
      `Custodian did not run http_request, because the audit log could not record it: No space left on the disk that holds ${join(dataDir, 'audit')}; the audit entry was not written.`,
    );
    // Half a line reached the disk before it filled; it was cut away again.
    expect(await readFile(join(dataDir, 'audit', 'audit.jsonl'), 'utf8')).toBe(onDisk);

    faults.clear();
    await core.agents.call('cli', 'http_request', request);
    const requests = (await core.agents.audit.query({ tool: 'http_request' })).map(
      (e) => `${e.outcome}${e.decision ? `/${e.decision}` : ''}`,
    );
    // The decision first, then the outcome (here a refusal of the credential's type).
    expect(requests).toEqual(['failed', 'allowed/headless']);
    expect(await core.agents.audit.verify()).toMatchObject({ ok: true });
    expect(await leftovers(dataDir)).toEqual([]);
  });

  it('an entry that cannot be written for a call that stays inside withholds its result', async () => {
    const f = await start();
    const { core, dataDir, faults } = f;
    const before = await trail(f);
    const onDisk = await readFile(join(dataDir, 'audit', 'audit.jsonl'), 'utf8');

    faults.inject({ op: 'write', code: 'ENOSPC', where: auditFile });
    const result = await core.agents.call('cli', 'fixture_echo', {
      credential: 'echo-cred',
      message: 'unrecorded-text',
    });
    expect(result.isError).toBe(true);
    expect(result.content[0]?.text).toBe(
      `Custodian withheld the result of fixture_echo, because the audit log could not record it: No space left on the disk that holds ${join(dataDir, 'audit')}; the audit entry was not written.`,
    );
    expect(JSON.stringify(result)).not.toContain('unrecorded-text');
    expect(await readFile(join(dataDir, 'audit', 'audit.jsonl'), 'utf8')).toBe(onDisk);

    faults.clear();
    expect(await trail(f)).toEqual(before);
    const again = await core.agents.call('cli', 'fixture_echo', {
      credential: 'echo-cred',
      message: 'recorded',
    });
    expect(again.content[0]?.text).toContain('recorded');
    // Decision and outcome in one entry, written before the answer.
    expect(await trail(f)).toEqual(['succeeded/headless', ...before]);
    expect(await core.agents.audit.verify()).toMatchObject({ ok: true });
    expect(await leftovers(dataDir)).toEqual([]);
  });

  it("an outcome that cannot be written withholds the call's result", async () => {
    const { core, faults } = await start();
    // The call's one entry, decision and outcome, is not written.
    faults.inject({ op: 'write', code: 'EDQUOT', where: auditFile });
    const result = await core.agents.call('cli', 'fixture_echo', {
      credential: 'echo-cred',
      message: 'withheld-text',
    });
    expect(result.isError).toBe(true);
    expect(result.content[0]?.text).toMatch(
      /^Custodian withheld the result of fixture_echo, because the audit log could not record it: Your disk quota is used up/,
    );
    expect(JSON.stringify(result)).not.toContain('withheld-text');
    faults.clear();
    expect(await core.agents.audit.verify()).toMatchObject({ ok: true });
  });
});
