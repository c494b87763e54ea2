import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendMany, openLog, readLines, tempFolder, writeLines } from './helpers';

// Entries here are about 330 bytes, so a 1 KiB limit holds three per file.
const small = { maxFileBytes: 1024 };

async function names(folder: string): Promise<string[]> {
  return (await fs.readdir(folder)).sort();
}

describe('AuditLog rotation', () => {
  it('rotates by size, keeps the chain across files, and never exceeds the limit', async () => {
    const folder = await tempFolder();
    const log = openLog(folder, small);
    await appendMany(log, 10);
    await log.close();
    const files = await names(folder);
    expect(files.length).toBeGreaterThanOrEqual(4);
    // Oldest first: audit.N … audit.1, then audit.jsonl.
    const ordered = [...files.filter((n) => n !== 'audit.jsonl').reverse(), 'audit.jsonl'];
    const perFile = await Promise.all(
      ordered.map(async (name) => (await readLines(folder, name)).map((l) => JSON.parse(l))),
    );
    for (const name of files) {
      expect((await fs.stat(join(folder, name))).size).toBeLessThanOrEqual(1024);
    }
    expect(perFile.flat().map((l) => l.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Each file's first prev is the last hash of the file rotated before it.
    for (let i = 1; i < perFile.length; i++) {
      expect(perFile[i]?.[0].prev).toBe(perFile[i - 1]?.at(-1).hash);
    }
    expect(await log.verify()).toEqual({ ok: true, entries: 10, firstSeq: 0, headMissing: false });
    expect((await log.query({ limit: 1000 })).map((r) => r.seq)).toEqual([
      9, 8, 7, 6, 5, 4, 3, 2, 1, 0,
    ]);
  });

  it('resumes seq and prev after a restart, from the current or the newest rotated file', async () => {
    const folder = await tempFolder();
    const roomy = small;
    const first = openLog(folder, roomy);
    await appendMany(first, 7);
    await first.close();

    expect((await names(folder)).length).toBeGreaterThan(1);
    const second = openLog(folder, roomy);
    expect((await second.append({ ...base(), payload: 1 })).seq).toBe(7);
    await appendMany(second, 4, 8);
    await second.close();
    expect(await second.verify()).toMatchObject({ ok: true, entries: 12, firstSeq: 0 });

    // A crash mid-rotation: the files have moved up but no new audit.jsonl was
    // opened. Appending resumes from audit.1.jsonl, the newest rotated file.
    const rotated = (await names(folder)).filter((n) => n !== 'audit.jsonl').reverse();
    for (const name of rotated) {
      const n = Number(name.split('.')[1]);
      await fs.rename(join(folder, name), join(folder, `audit.${n + 1}.jsonl`));
    }
    await fs.rename(join(folder, 'audit.jsonl'), join(folder, 'audit.1.jsonl'));
    const third = openLog(folder, roomy);
    expect((await third.append(base())).seq).toBe(12);
    await third.close();
    expect(await third.verify()).toEqual({
      ok: true,
      entries: 13,
      firstSeq: 0,
      headMissing: false,
    });
  });

  it('keeps every rotated file younger than the retention period, however many bytes', async () => {
    const folder = await tempFolder();
    // Nothing is kept for its size, but every entry is seconds old: all stay.
    const log = openLog(folder, { ...small, retainBytes: 0 });
    await appendMany(log, 20);
    await log.close();
    expect(await log.verify()).toEqual({ ok: true, entries: 20, firstSeq: 0, headMissing: false });
  });

  it('drops old files only past both limits, and names each one it drops', async () => {
    const folder = await tempFolder();
    const log = openLog(folder, { ...small, retainBytes: 2048, retainDays: 0 });
    await appendMany(log, 20);
    await log.close();
    const kept = (await names(folder)).filter((n) => n !== 'audit.jsonl');
    // Newer files always hold at least 2 KiB: one to three rotated files of about 1 KiB stay.
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(kept.length).toBeLessThanOrEqual(3);
    const verdict = await log.verify();
    expect(verdict).toMatchObject({ ok: true, headMissing: true });
    const firstSeq = verdict.ok ? (verdict.firstSeq ?? -1) : -1;
    const drops = (await log.query({ limit: 1000 })).filter((r) => r.event === 'rotated');
    expect(drops.length).toBeGreaterThan(0);
    // The newest drop names the entries just before the oldest kept one.
    expect(drops[0]?.detail).toMatch(new RegExp(`\\(entries \\d+–${firstSeq - 1}\\) was dropped`));
  });

  it('names the file and line where a deleted middle file breaks the chain', async () => {
    const folder = await tempFolder();
    const log = openLog(folder, small);
    await appendMany(log, 10);
    await log.close();
    const lastBefore = JSON.parse((await readLines(folder, 'audit.3.jsonl')).at(-1) ?? '');
    const firstAfter = JSON.parse((await readLines(folder, 'audit.1.jsonl'))[0] ?? '');
    await fs.rm(join(folder, 'audit.2.jsonl'));
    expect(await log.verify()).toMatchObject({
      ok: false,
      file: 'audit.1.jsonl',
      line: 1,
      message: `line 1 of audit.1.jsonl: seq ${firstAfter.seq} where ${lastBefore.seq + 1} was expected (an entry is missing or out of order)`,
    });
  });

  it('names a tampered line inside a rotated file', async () => {
    const folder = await tempFolder();
    const log = openLog(folder, small);
    await appendMany(log, 8);
    await log.close();
    const lines = await readLines(folder, 'audit.1.jsonl');
    lines[1] = (lines[1] ?? '').replace('"client":"Claude Desktop 1.2"', '"client":"cli"');
    await writeLines(folder, lines, 'audit.1.jsonl');
    expect(await log.verify()).toMatchObject({
      ok: false,
      message: 'line 2 of audit.1.jsonl: hash does not match its content',
    });
  });
});

function base() {
  return {
    client: 'cli',
    tool: 'list_credentials',
    credential: null,
    outcome: 'allowed' as const,
    payload: {},
  };
}
