import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditFileSystem } from '../../../electron/core/audit/audit-files';
import { entry, openLog, readLines, tempFolder } from './helpers';

// Appends that arrive while a sync is under way are written together and
// synced once; each still resolves only after its own line is on disk.

/** Node's fs, counting the syncs of every file the log opens. */
function countingFs(): { fs: AuditFileSystem; syncs: () => number } {
  let syncs = 0;
  const counting = {
    ...fs,
    open: async (...args: Parameters<typeof fs.open>) => {
      const handle = await fs.open(...args);
      const sync = handle.sync.bind(handle);
      handle.sync = async () => {
        syncs++;
        return sync();
      };
      return handle;
    },
  } as AuditFileSystem;
  return { fs: counting, syncs: () => syncs };
}

describe('AuditLog group commit', () => {
  it('writes 200 appends made at once with far fewer syncs, in order, chained and each answered', async () => {
    const folder = await tempFolder();
    const counted = countingFs();
    const log = openLog(folder, { fs: counted.fs });
    const records = await Promise.all(Array.from({ length: 200 }, (_, n) => log.append(entry(n))));
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 200 }, (_, n) => n));
    expect(records.map((r) => r.credential)).toEqual(
      Array.from({ length: 200 }, (_, n) => `cred-${n}`),
    );
    // The first append is written alone; the rest gathered behind its sync.
    expect(counted.syncs()).toBeLessThanOrEqual(3);
    expect(await readLines(folder)).toHaveLength(200);
    expect(await log.verify()).toEqual({ ok: true, entries: 200, firstSeq: 0, headMissing: false });
    await log.close();
  });

  it('rotates in the middle of a batch without passing the size limit or breaking the chain', async () => {
    const folder = await tempFolder();
    const log = openLog(folder, { maxFileBytes: 1024 });
    await Promise.all(Array.from({ length: 12 }, (_, n) => log.append(entry(n))));
    for (const name of await fs.readdir(folder))
      expect((await fs.stat(join(folder, name))).size).toBeLessThanOrEqual(1024);
    expect(await log.verify()).toEqual({ ok: true, entries: 12, firstSeq: 0, headMissing: false });
    await log.close();
  });

  it('refuses a bad entry in a batch alone: the others are written', async () => {
    const folder = await tempFolder();
    const log = openLog(folder);
    const first = log.append(entry(0));
    const outcomes = await Promise.allSettled([
      log.append(entry(1)),
      log.append({ ...entry(2), outcome: 'exploded' as 'succeeded' }),
      log.append(entry(3)),
    ]);
    await first;
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await log.query({})).map((r) => r.credential)).toEqual(['cred-3', 'cred-1', 'cred-0']);
    expect(await log.verify()).toMatchObject({ ok: true, entries: 3 });
    await log.close();
  });
});
