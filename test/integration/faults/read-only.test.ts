import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHeadlessCore } from '../../../electron/headless/headless-core';
import { resultOf, startCore, TEST_KDF_COST, type CoreFixture } from '../../support/core-fixture';
import { FaultyFs } from '../../support/faulty-fs';
import { canMount, mountSmallDisk, type SmallDisk } from '../../support/small-disk';
import { leftovers, note, startFaultCore, type FaultCore } from './fault-core';

// Issue 19, point 2: the data folder, or a file in it, cannot be written
// (EROFS, EACCES, EPERM), at start and while running. Root ignores file
// modes, so the read-only case is a real tmpfs remounted read-only (where
// mount is allowed) and the permission cases come through the core's
// file-system port.

const mountable = await canMount();
let fixtures: (CoreFixture | FaultCore)[] = [];
let disk: SmallDisk | null = null;
afterEach(async () => {
  disk?.readOnly(false);
  for (const f of fixtures.reverse()) await f.cleanup();
  fixtures = [];
  await disk?.unmount();
  disk = null;
});

const names = (f: CoreFixture) =>
  f.core.credentials
    .list()
    .map((c) => c.name)
    .sort();

describe.skipIf(!mountable)('a data folder on a read-only disk at start', () => {
  it('opens and reads the vault, refuses writes in words, and writes again once writable', async () => {
    disk = await mountSmallDisk('400k');
    if (!disk) throw new Error('mount failed');
    const dataDir = join(disk.path, 'Custodian');
    const first = await startCore({
      dataDir,
      store: { bundled: null },
      approvals: { kind: 'headless', allowTools: ['credential_info'] },
    });
    resultOf(await first.core.dispatch('vault:create', {}));
    resultOf(await first.core.dispatch('credentials:create', note('kept')));
    await first.core.close();

    disk.readOnly(true);
    const second = await startCore({
      dataDir,
      keychainService: first.keychainService,
      store: { bundled: null },
    });
    fixtures.push(second);
    const { core } = second;
    expect(resultOf(await core.dispatch('vault:unlock', {}))).toMatchObject({ state: 'unlocked' });
    expect(names(second)).toEqual(['kept']);
    const readOnly = `The disk that holds ${dataDir} is read-only; nothing was saved.`;
    expect(await core.dispatch('credentials:create', note('lost'))).toEqual({
      error: { code: 'storage_failed', reason: 'read_only', message: readOnly },
    });
    // An agent's call cannot be recorded, so its result does not reach the agent.
    const call = await core.agents.call('cli', 'credential_info', { credential: 'kept' });
    expect(call.content[0]?.text).toBe(
      `Custodian withheld the result of credential_info, because the audit log could not record it: The disk that holds ${join(dataDir, 'audit')} is read-only; the audit entry was not written.`,
    );

    disk.readOnly(false);
    resultOf(await core.dispatch('credentials:create', note('after')));
    expect(names(second)).toEqual(['after', 'kept']);
    expect(await leftovers(dataDir)).toEqual([]);
  });

  it('a data folder that cannot be made: the start fails in words', async () => {
    disk = await mountSmallDisk('64k');
    if (!disk) throw new Error('mount failed');
    disk.readOnly(true);
    const dataDir = join(disk.path, 'Custodian');
    await expect(
      createHeadlessCore({ dataDir, kdfCost: TEST_KDF_COST, store: { bundled: null } }),
    ).rejects.toMatchObject({
      code: 'storage_failed',
      reason: 'read_only',
      message: `The disk that holds ${dataDir} is read-only; Custodian cannot start.`,
    });
  });
});

describe('permission refused (EACCES, EPERM) through the port', () => {
  it('EACCES on the vault file at unlock: said, and the next unlock works once allowed', async () => {
    const f = await startFaultCore();
    fixtures.push(f);
    const { core, dataDir, faults } = f;
    resultOf(await core.dispatch('credentials:create', note('kept')));
    await core.lifecycle.lock();
    faults.inject({ op: 'readFile', code: 'EACCES', where: (p) => p.endsWith('vault.cvlt') });
    expect(await core.dispatch('vault:unlock', {})).toEqual({
      error: {
        code: 'storage_failed',
        reason: 'no_permission',
        message: `Custodian is not allowed to use ${join(dataDir, 'vault.cvlt')} (permission denied); the vault was not opened.`,
      },
    });
    faults.clear();
    resultOf(await core.dispatch('vault:unlock', {}));
    expect(names(f)).toEqual(['kept']);
  });

  it.each([
    ['EACCES', 'permission denied'],
    ['EPERM', 'operation not permitted'],
  ] as const)(
    '%s on the rename while running (%s): nothing saved, no temp file',
    async (code, words) => {
      const f = await startFaultCore();
      fixtures.push(f);
      const { core, dataDir, faults } = f;
      resultOf(await core.dispatch('credentials:create', note('kept')));
      faults.inject({ op: 'rename', code });
      const failed = await core.dispatch('credentials:create', note('lost'));
      expect(failed).toMatchObject({
        error: { code: 'storage_failed', reason: 'no_permission' },
      });
      expect('error' in failed && failed.error.message).toBe(
        `Custodian is not allowed to ${code === 'EPERM' ? 'change' : 'use'} ${join(dataDir, 'vault.cvlt')} (${words}); nothing was saved.`,
      );
      expect(await leftovers(dataDir)).toEqual([]);
      faults.clear();
      resultOf(await core.dispatch('credentials:create', note('after')));
      expect(names(f)).toEqual(['after', 'kept']);
    },
  );

  it('EACCES making the data folder at start', async () => {
    const faults = new FaultyFs().inject({ op: 'mkdir', code: 'EACCES' });
    const dataDir = join('/nonexistent-parent', 'Custodian');
    await expect(
      createHeadlessCore({
        dataDir,
        fs: faults.port,
        kdfCost: TEST_KDF_COST,
        store: { bundled: null },
      }),
    ).rejects.toMatchObject({
      code: 'storage_failed',
      message: `Custodian is not allowed to use ${join(dataDir, 'vault.cvlt')} (permission denied); Custodian cannot start.`,
    });
  });
});
