import * as fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { AuditFileSystem } from '../../../electron/core/audit';
import { appendMany, entry, openLog, tempFolder } from './helpers';

// The real file system, except that the first write after `failNext` is set
// throws, as a full disk would.
function flakyFs(): { fs: AuditFileSystem; failNext: () => void } {
  let fail = false;
  const open: AuditFileSystem['open'] = async (...args) => {
    const handle = await fs.open(...args);
    const write = handle.write.bind(handle) as (...a: unknown[]) => ReturnType<typeof handle.write>;
    handle.write = (async (...rest: unknown[]) => {
      if (fail) {
        fail = false;
        throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      }
      return write(...rest);
    }) as typeof handle.write;
    return handle;
  };
  return { fs: { ...fs, open }, failNext: () => (fail = true) };
}

describe('AuditLog after a failed write', () => {
  it('reports the failure, then reopens and continues the chain', async () => {
    const folder = await tempFolder();
    const flaky = flakyFs();
    const log = openLog(folder, { fs: flaky.fs });
    await appendMany(log, 3);
    flaky.failNext();
    await expect(log.append(entry(3))).rejects.toThrow(/No space left on the disk that holds/);
    // Nothing was written for the failed entry, so its seq is used by the next.
    expect((await log.append(entry(4))).seq).toBe(3);
    await log.close();
    expect(await log.verify()).toEqual({ ok: true, entries: 4, firstSeq: 0, headMissing: false });
  });

  it('refuses bad options at construction', () => {
    expect(() => openLog('unused', { retainBytes: -1 })).toThrow(RangeError);
    expect(() => openLog('unused', { maxFileBytes: 0 })).toThrow(RangeError);
  });
});
