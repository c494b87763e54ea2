import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as fs from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../electron/core/audit';
import type { Core } from '../../../electron/core/create-core';
import { makeTempDir, resultOf } from '../../support/core-fixture';
import { startAuditCore, type AuditCore } from './audit-core';
import { attackerKey, forgedChain, readLog, relink, writeLog } from './tamper-tools';

// The keyed chain against someone who can write the data folder but cannot
// open the vault: every rewrite below is reported, and rotation by Custodian
// itself is told apart from files gone missing.

let fixture: AuditCore | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

async function withEntries(count: number, audit?: Parameters<typeof startAuditCore>[0]) {
  // No rate limit in the way: every call is its own entry.
  fixture = await startAuditCore({
    rateLimit: { limit: { perMinute: 60_000, burst: 10_000 } },
    ...audit,
  });
  for (let i = 0; i < count; i++) {
    fixture.clock.advance(1000);
    await fixture.core.agents.call(`agent-${i % 2}`, 'list_credentials', { i });
  }
  return fixture;
}

const verdict = (core: Core) => core.dispatch('audit:verify', {}).then(resultOf);

describe('the keyed audit chain', () => {
  it('verifies an untouched log, every entry linked by a MAC', async () => {
    const { core, auditDir } = await withEntries(6);
    expect(await verdict(core)).toEqual({ ok: true, entries: 6, firstSeq: 0, headMissing: false });
    const lines = await readLog(auditDir);
    expect(lines.every((l) => /"mac":"[0-9a-f]{64}"/.test(l) && !l.includes('"hash"'))).toBe(true);
  });

  it('reports a line edited and the whole chain recomputed without the key (unkeyed hashes)', async () => {
    const { core, auditDir } = await withEntries(6);
    const lines = await readLog(auditDir);
    lines[2] = (lines[2] ?? '').replace('"client":"agent-0"', '"client":"agent-1"');
    await writeLog(auditDir, relink(lines, undefined));
    expect(await verdict(core)).toMatchObject({
      ok: false,
      line: 1,
      reason: 'an unkeyed entry where the log is keyed (forged or rewritten without the audit key)',
    });
  });

  it('reports a line edited and the chain recomputed with another key', async () => {
    const { core, auditDir } = await withEntries(6);
    const lines = await readLog(auditDir);
    lines[3] = (lines[3] ?? '').replace('"client":"agent-1"', '"client":"agent-0"');
    await writeLog(auditDir, relink(lines, attackerKey()));
    expect(await verdict(core)).toMatchObject({
      ok: false,
      line: 1,
      reason: 'MAC does not match its content (edited, or written without the audit key)',
    });
  });

  it('reports the last lines cut: the vault anchors an entry the file no longer has', async () => {
    const { core, auditDir } = await withEntries(6);
    await writeLog(auditDir, (await readLog(auditDir)).slice(0, 4));
    expect(await verdict(core)).toMatchObject({
      ok: false,
      reason: 'the log ends at entry 3, but the vault anchors entry 5: its last entries were cut',
    });
  });

  it('reports the file deleted or emptied', async () => {
    const { core, auditDir } = await withEntries(3);
    await writeFile(join(auditDir, 'audit.jsonl'), '');
    const emptied = await verdict(core);
    expect(emptied).toMatchObject({ ok: false, line: 0 });
    expect(emptied.ok ? '' : emptied.reason).toBe(
      'the log is empty or deleted, but the vault anchors entry 2',
    );
    await rm(join(auditDir, 'audit.jsonl'));
    expect(await verdict(core)).toMatchObject({
      ok: false,
      reason: emptied.ok ? '' : emptied.reason,
    });
  });

  it('reports a chain forged from nothing, unkeyed or with another key', async () => {
    const { core, auditDir } = await withEntries(3);
    await writeLog(auditDir, forgedChain(8));
    expect(await verdict(core)).toMatchObject({ ok: false, line: 1 });
    await writeLog(auditDir, forgedChain(8, attackerKey()));
    expect(await verdict(core)).toMatchObject({
      ok: false,
      line: 1,
      reason: 'MAC does not match its content (edited, or written without the audit key)',
    });
  });

  it('keeps the anchor across a restart, and checks it after lock and unlock', async () => {
    const fx = await withEntries(4);
    const core = await fx.restart();
    await core.agents.call('again', 'list_credentials', {});
    expect(await verdict(core)).toMatchObject({ ok: true, entries: 5 });
    await writeLog(fx.auditDir, (await readLog(fx.auditDir)).slice(0, 3));
    expect(await verdict(core)).toMatchObject({ ok: false });
  });

  it('keeps reporting a tail cut while the core was stopped, after new entries and a restart', async () => {
    const fx = await withEntries(5);
    await fx.core.close();
    await writeLog(fx.auditDir, (await readLog(fx.auditDir)).slice(0, 2));
    const core = await fx.restart();
    await core.agents.call('later', 'list_credentials', {});
    // Not quietly: new entries do not paper over the gap, and the log says what was lost.
    const after = await verdict(core);
    expect(after).toMatchObject({ ok: false, line: 3 });
    expect(after.ok ? '' : after.reason).toBe(
      'seq 5 where 2 was expected (an entry is missing or out of order)',
    );
    const lost = (await core.agents.audit.query({})).find((r) => r.event === 'lost');
    expect(lost?.detail).toBe(
      'entries 2–4 were missing when the log was opened: it was cut while Custodian was not running',
    );
  });

  it('keeps an entry made while the vault is locked and writes it, keyed, at the next unlock', async () => {
    const { core } = await withEntries(2);
    resultOf(await core.dispatch('vault:lock', {}));
    // A call that was still running at lock ends now: its outcome waits for the key.
    await core.agents.audit.appendOrHold({
      client: 'agent-0',
      tool: 'list_credentials',
      credential: null,
      outcome: 'succeeded',
      payload: {},
    });
    await expect(core.dispatch('audit:verify', {})).resolves.toMatchObject({
      error: { code: 'vault_locked' },
    });
    resultOf(await core.dispatch('vault:unlock', {}));
    expect(await verdict(core)).toEqual({ ok: true, entries: 3, firstSeq: 0, headMissing: false });
  });

  it('tells files rotated away on purpose from a rotated file deleted by hand', async () => {
    const small = {
      audit: { auditFiles: { maxFileBytes: 1200, retainBytes: 2400, retainDays: 0 } },
    };
    const { core, auditDir } = await withEntries(30, small);
    const onPurpose = await verdict(core);
    // Custodian dropped the oldest files and said so: no entry 0, and that is fine.
    expect(onPurpose).toMatchObject({ ok: true, headMissing: true });
    expect(onPurpose.ok && onPurpose.firstSeq).toBeGreaterThan(0);
    const names = (await fs.readdir(auditDir)).filter((n) => n !== 'audit.jsonl').sort();
    const oldest = names.at(-1) ?? '';
    await rm(join(auditDir, oldest));
    const missing = await verdict(core);
    expect(missing).toMatchObject({ ok: false, line: 1 });
    expect(missing.ok ? '' : missing.reason).toMatch(
      /^entries before seq \d+ are missing, and no rotation entry names them \(deleted, not rotated away\)$/,
    );
  });
});

describe('a log from before the audit key', () => {
  it('is continued by the first keyed entry, which records its head; its rewrite is still caught', async () => {
    const dataDir = await makeTempDir();
    // The old writer: the same log without a keyring writes the unkeyed chain.
    const old = new AuditLog({ folder: join(dataDir, 'audit'), fs });
    for (let i = 0; i < 4; i++)
      await old.append({
        client: 'old',
        tool: 'list_credentials',
        credential: null,
        outcome: 'succeeded',
        payload: { i },
      });
    await old.close();
    fixture = await startAuditCore({ dataDir });
    const { core, auditDir } = fixture;
    await core.agents.call('new', 'list_credentials', {});
    const records = await core.agents.audit.query({ limit: 1000 });
    expect(records.map((r) => `${r.seq} ${r.client} ${r.event ?? ''}`)).toEqual([
      '5 new ',
      '4 custodian keyed',
      '3 old ',
      '2 old ',
      '1 old ',
      '0 old ',
    ]);
    const lines = await readLog(auditDir);
    expect(lines.slice(0, 4).every((l) => l.includes('"hash"'))).toBe(true);
    expect(lines.slice(4).every((l) => l.includes('"mac"'))).toBe(true);
    expect(await verdict(core)).toEqual({ ok: true, entries: 6, firstSeq: 0, headMissing: false });

    // The unkeyed part rewritten and relinked: the keyed entry's prev no longer matches,
    // and neither does what the vault recorded when it made the key.
    const rewritten = [...lines];
    rewritten[1] = (rewritten[1] ?? '').replace('"client":"old"', '"client":"someone"');
    await writeLog(auditDir, [...relink(rewritten.slice(0, 4), undefined), ...lines.slice(4)]);
    expect(await verdict(core)).toMatchObject({
      ok: false,
      line: 4,
      reason: 'not the unkeyed entry the vault recorded when the log was keyed',
    });
    // Unkeyed entries cannot be added after the key either.
    await writeLog(auditDir, [...lines, ...relink(lines.slice(0, 1), undefined, 'f'.repeat(64))]);
    expect(await verdict(core)).toMatchObject({ ok: false, line: 7 });
  });

  it('accepts the start an older log had already lost to the old rotation, and no other', async () => {
    const dataDir = await makeTempDir();
    const folder = join(dataDir, 'audit');
    const old = new AuditLog({ folder, fs, maxFileBytes: 1024 });
    for (let i = 0; i < 12; i++)
      await old.append({
        client: 'old',
        tool: 'list_credentials',
        credential: null,
        outcome: 'succeeded',
        payload: { i },
      });
    await old.close();
    const rotated = (await fs.readdir(folder)).filter((n) => n !== 'audit.jsonl').sort();
    expect(rotated.length).toBeGreaterThanOrEqual(3);
    // The old rotation deleted its oldest file before there was a key.
    await rm(join(folder, rotated.at(-1) ?? ''));
    fixture = await startAuditCore({ dataDir });
    const before = await verdict(fixture.core);
    expect(before).toMatchObject({ ok: true, headMissing: true });
    // After the key, losing another unkeyed file is reported.
    await rm(join(folder, rotated.at(-2) ?? ''));
    expect(await verdict(fixture.core)).toMatchObject({ ok: false, line: 1 });
  });
});
