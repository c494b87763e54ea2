import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resultOf } from '../../support/core-fixture';
import type { FaultRule } from '../../support/faulty-fs';
import { addEchoCredential, leftovers, note, startFaultCore, type FaultCore } from './fault-core';

// Issue 19, point 3: the disk answers EIO to an fsync or a rename during a
// save. The save is reported failed, the previous file stays the vault, and
// the next save starts from what was acknowledged, not from the failed one.
// Injected through the core's own file-system port.

let fixture: FaultCore | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

const names = (f: FaultCore) =>
  f.core.credentials
    .list()
    .map((c) => c.name)
    .sort();

describe('an I/O error during a vault save', () => {
  const cases: [string, (dataDir: string) => FaultRule][] = [
    [
      "the temp file's fsync",
      () => ({ op: 'sync', code: 'EIO', where: (p) => p.includes('vault.cvlt.tmp-') }),
    ],
    [
      'the rename over the vault',
      () => ({ op: 'rename', code: 'EIO', where: (p) => p.includes('vault.cvlt.tmp-') }),
    ],
    // After the rename: the new file is in place but not durable, so it is put back.
    [
      "the folder's fsync after the rename",
      (dataDir) => ({ op: 'sync', code: 'EIO', where: (p) => p === dataDir }),
    ],
  ];

  it.each(cases)(
    'EIO on %s: reported failed, the previous file stays the vault',
    async (_what, rule) => {
      fixture = await startFaultCore();
      const f = fixture;
      const { core, dataDir, faults } = f;
      resultOf(await core.dispatch('credentials:create', note('kept')));
      const before = await readFile(join(dataDir, 'vault.cvlt'));

      faults.inject({ ...rule(dataDir), times: 1 });
      expect(await core.dispatch('credentials:create', note('failed'))).toEqual({
        error: {
          code: 'storage_failed',
          reason: 'io_error',
          message: `The disk that holds ${dataDir} reported an input/output error; nothing was saved.`,
        },
      });
      expect(faults.failures).toHaveLength(1);
      expect(await readFile(join(dataDir, 'vault.cvlt'))).toEqual(before);
      expect(await leftovers(dataDir)).toEqual([]);
      expect(names(f)).toEqual(['kept']);

      // The next save is built on "kept" alone; after a restart of the vault both agree.
      resultOf(await core.dispatch('credentials:create', note('next')));
      await core.lifecycle.lock();
      resultOf(await core.dispatch('vault:unlock', {}));
      expect(names(f)).toEqual(['kept', 'next']);
    },
  );
});

describe('an I/O error during an audit append', () => {
  it('fails the call closed; the next entry continues the chain from the last one on disk', async () => {
    fixture = await startFaultCore({
      approvals: { kind: 'headless', allowTools: ['fixture_echo'] },
    });
    const { core, dataDir, faults } = fixture;
    await addEchoCredential(core);
    const args = { credential: 'echo-cred', message: 'm' };
    await core.agents.call('cli', 'fixture_echo', args);
    const onDisk = await readFile(join(dataDir, 'audit', 'audit.jsonl'), 'utf8');

    // Part of the line is written, then the disk reports an error (audit.jsonl is written
    // with O_DSYNC, so a failed flush is the write's own error): it does not count, and is
    // cut away; the call's result is withheld.
    faults.inject({ op: 'write', code: 'EIO', where: (p) => p.endsWith('audit.jsonl'), times: 1 });
    const failed = await core.agents.call('cli', 'fixture_echo', args);
    expect(failed.content[0]?.text).toBe(
      `Custodian withheld the result of fixture_echo, because the audit log could not record it: The disk that holds ${join(dataDir, 'audit')} reported an input/output error; the audit entry was not written.`,
    );
    expect(await readFile(join(dataDir, 'audit', 'audit.jsonl'), 'utf8')).toBe(onDisk);

    await core.agents.call('cli', 'fixture_echo', args);
    const seqs = (await core.agents.audit.query({ tool: 'fixture_echo' })).map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(await core.agents.audit.verify()).toMatchObject({ ok: true });
  });
});

describe('the backup', () => {
  it('is the previous file itself, by a hard link, where the file system has them', async () => {
    fixture = await startFaultCore();
    const { core, dataDir } = fixture;
    const vault = join(dataDir, 'vault.cvlt');
    resultOf(await core.dispatch('credentials:create', note('first')));
    const [bytes, { ino }] = [await readFile(vault), await stat(vault)];
    resultOf(await core.dispatch('credentials:create', note('second')));
    const backup = await stat(`${vault}.bak`);
    expect(backup.ino).toBe(ino);
    expect(backup.mode & 0o777).toBe(0o600);
    expect(await readFile(`${vault}.bak`)).toEqual(bytes);
    expect((await stat(vault)).ino).not.toBe(ino);
  });
});

describe('a file system without hard links', () => {
  it('saves all the same, the backup a copy (the put-back link is an extra, not a need)', async () => {
    fixture = await startFaultCore();
    const { core, dataDir, faults } = fixture;
    faults.inject({ op: 'link', code: 'EPERM' });
    resultOf(await core.dispatch('credentials:create', note('first')));
    const previous = await readFile(join(dataDir, 'vault.cvlt'));
    resultOf(await core.dispatch('credentials:create', note('saved')));
    expect(faults.failures.length).toBeGreaterThan(0);
    expect(await readFile(join(dataDir, 'vault.cvlt.bak'))).toEqual(previous);
    expect(await leftovers(dataDir)).toEqual([]);
    await core.lifecycle.lock();
    resultOf(await core.dispatch('vault:unlock', {}));
    expect(names(fixture)).toEqual(['first', 'saved']);
  });
});

describe('no hard links and a failed folder sync together', () => {
  it('never deletes the vault: the new file stays when the previous one could not be kept', async () => {
    fixture = await startFaultCore();
    const { core, dataDir, faults } = fixture;
    resultOf(await core.dispatch('credentials:create', note('kept')));
    faults.inject({ op: 'link', code: 'EPERM' });
    faults.inject({ op: 'sync', code: 'EIO', where: (p) => p === dataDir, times: 1 });
    expect(await core.dispatch('credentials:create', note('unsure'))).toMatchObject({
      error: { code: 'storage_failed', reason: 'io_error' },
    });
    expect(await leftovers(dataDir)).toEqual([]);
    faults.clear();
    await core.lifecycle.lock();
    resultOf(await core.dispatch('vault:unlock', {}));
    expect(names(fixture)).toContain('kept');
  });
});
