import { open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resultOf } from '../../support/core-fixture';
import { canMount, mountSmallDisk, type SmallDisk } from '../../support/small-disk';
import { leftovers, note, startFaultCore, type FaultCore } from './fault-core';

// Issue 19, points 1 and 2 on a real file system: the data folder on a 400 KB
// tmpfs, filled on purpose, then remounted read-only. The port injects
// nothing here: the errors are the kernel's.

const mountable = await canMount();
let fixture: FaultCore | undefined;
let disk: SmallDisk | null = null;
afterEach(async () => {
  disk?.readOnly(false);
  await fixture?.cleanup();
  await disk?.unmount();
  fixture = undefined;
  disk = null;
});

/** Writes a file until the disk refuses, so nothing more fits. */
async function fill(path: string): Promise<void> {
  const handle = await open(path, 'w');
  const chunk = Buffer.alloc(4096, 1);
  try {
    for (;;) await handle.write(chunk);
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
  } finally {
    await handle.close();
  }
}

const names = (f: FaultCore) =>
  f.core.credentials
    .list()
    .map((c) => c.name)
    .sort();

async function mountDisk(): Promise<SmallDisk> {
  disk = await mountSmallDisk('400k');
  if (!disk) throw new Error('mount worked a moment ago and fails now');
  return disk;
}

describe.skipIf(!mountable)('a real small disk', () => {
  it('filled up: the save fails with the disk named, leaves no temp file, and works once space is freed', async () => {
    const small = await mountDisk();
    const dataDir = join(small.path, 'Custodian');
    fixture = await startFaultCore({ dataDir });
    const { core } = fixture;
    resultOf(await core.dispatch('credentials:create', note('kept', 'x'.repeat(2000))));
    await fill(join(small.path, 'filler'));

    const failed = await core.dispatch('credentials:create', note('lost', 'y'.repeat(20_000)));
    expect(failed).toEqual({
      error: {
        code: 'storage_failed',
        reason: 'disk_full',
        message: `No space left on the disk that holds ${dataDir}; nothing was saved.`,
      },
    });
    expect(await leftovers(dataDir)).toEqual([]);

    // The cause goes away; no restart.
    await rm(join(small.path, 'filler'));
    resultOf(await core.dispatch('credentials:create', note('after')));
    await core.lifecycle.lock();
    resultOf(await core.dispatch('vault:unlock', {}));
    expect(names(fixture)).toEqual(['after', 'kept']);
  });

  it('remounted read-only while running: the save says so, and works once writable again', async () => {
    const small = await mountDisk();
    const dataDir = join(small.path, 'Custodian');
    fixture = await startFaultCore({ dataDir });
    const { core } = fixture;
    resultOf(await core.dispatch('credentials:create', note('kept')));
    const before = await readFile(join(dataDir, 'vault.cvlt'));

    small.readOnly(true);
    expect(await core.dispatch('credentials:create', note('lost'))).toEqual({
      error: {
        code: 'storage_failed',
        reason: 'read_only',
        message: `The disk that holds ${dataDir} is read-only; nothing was saved.`,
      },
    });
    expect(await core.dispatch('settings:update', { autoLockMinutes: 9 })).toMatchObject({
      error: { code: 'storage_failed', reason: 'read_only' },
    });
    // Reading still works: the vault stays usable.
    expect(names(fixture)).toEqual(['kept']);
    expect(await readFile(join(dataDir, 'vault.cvlt'))).toEqual(before);

    small.readOnly(false);
    expect(await leftovers(dataDir)).toEqual([]);
    resultOf(await core.dispatch('credentials:create', note('after')));
    expect(names(fixture)).toEqual(['after', 'kept']);
    expect((await readdir(dataDir)).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });
});
