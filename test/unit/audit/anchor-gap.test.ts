import { describe, expect, it } from 'vitest';
import type { AuditKeyring } from '../../../electron/core/audit/audit-keyring';
import type { AuditTrust, ChainPoint } from '../../../electron/core/audit/audit-chain';
import { appendMany, openLog, readLines, tempFolder, writeLines } from './helpers';

// Issue 17: anchoring the head is a vault save (several fsyncs), so while
// entries keep coming it happens at most once per gap; verify, lock and close
// anchor what waits first, so a cut tail is reported as before.

/** The vault's side, in memory: counts the anchorings. */
function memoryKeyring(): AuditKeyring & { anchored: ChainPoint[] } {
  let trust: AuditTrust | null = null;
  const anchored: ChainPoint[] = [];
  return {
    anchored,
    load: () => trust && { ...trust, key: Buffer.from(trust.key) },
    save: async (made) => void (trust = { ...made, key: Buffer.from(made.key) }),
    anchor: async (head) => {
      anchored.push(head);
      if (trust) trust = { ...trust, head };
    },
  };
}

describe('anchoring the head while entries keep coming', () => {
  it('saves the anchor once for a burst within the gap, then the latest head when verified', async () => {
    const folder = await tempFolder();
    const keyring = memoryKeyring();
    // A gap no test run reaches: only the first anchoring and verify's may happen.
    const log = openLog(folder, { keyring, anchorGapMs: 3_600_000 });
    await log.unlocked();
    await appendMany(log, 10);
    expect(keyring.anchored.map((h) => h.seq)).toEqual([0]);
    expect(await log.verify()).toMatchObject({ ok: true, entries: 10 });
    expect(keyring.anchored.map((h) => h.seq)).toEqual([0, 9]);
    await log.close();
  });

  it('reports the last entries cut even when they were appended within the gap', async () => {
    const folder = await tempFolder();
    const keyring = memoryKeyring();
    const log = openLog(folder, { keyring, anchorGapMs: 3_600_000 });
    await log.unlocked();
    await appendMany(log, 6);
    await writeLines(folder, (await readLines(folder)).slice(0, 4));
    expect(await log.verify()).toMatchObject({
      ok: false,
      reason: 'the log ends at entry 3, but the vault anchors entry 5: its last entries were cut',
    });
    await log.close();
  });

  it('anchors what waits at lock, so the next start finds the head', async () => {
    const folder = await tempFolder();
    const keyring = memoryKeyring();
    const log = openLog(folder, { keyring, anchorGapMs: 3_600_000 });
    await log.unlocked();
    await appendMany(log, 4);
    await log.locking();
    expect(keyring.anchored.at(-1)?.seq).toBe(3);
    await log.close();
  });
});
