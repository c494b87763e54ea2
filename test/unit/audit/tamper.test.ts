import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendMany, openLog, readLines, tempFolder, writeLines } from './helpers';

// Each test writes 20 entries, changes the file the way an attacker (or a
// crash) might, and expects verify() to name exactly the first broken line.
async function logOf20(): Promise<{ folder: string; lines: string[] }> {
  const folder = await tempFolder();
  const log = openLog(folder);
  await appendMany(log, 20);
  await log.close();
  return { folder, lines: await readLines(folder) };
}

function at(lines: string[], index: number): string {
  const line = lines[index];
  if (line === undefined) throw new Error(`no line ${index}`);
  return line;
}

describe('AuditLog verify finds tampering', () => {
  it('names line k when a field of line k is edited', async () => {
    const { folder, lines } = await logOf20();
    const k = 12;
    lines[k - 1] = at(lines, k - 1).replace('"outcome":"succeeded"', '"outcome":"allowed"');
    expect(lines[k - 1]).toContain('"outcome":"allowed"');
    await writeLines(folder, lines);
    const result = await openLog(folder).verify();
    expect(result).toEqual({
      ok: false,
      file: 'audit.jsonl',
      line: k,
      reason: 'hash does not match its content',
      message: 'line 12 of audit.jsonl: hash does not match its content',
    });
  });

  it('names the line when its hash is recomputed to match but the link is not', async () => {
    const { folder, lines } = await logOf20();
    // An edit that also rewrites this line's hash still breaks the next line's prev.
    const { createHash } = await import('node:crypto');
    const { canonicalJson } = await import('../../../electron/core/audit');
    const edited = JSON.parse(at(lines, 4));
    edited.credential = 'someone-else';
    delete edited.hash;
    edited.hash = createHash('sha256')
      .update(edited.prev + canonicalJson(edited))
      .digest('hex');
    lines[4] = canonicalJson(edited);
    await writeLines(folder, lines);
    expect(await openLog(folder).verify()).toMatchObject({
      ok: false,
      line: 6,
      reason: 'prev does not match the hash of the entry before it',
    });
  });

  it('names the line where a deleted line leaves a gap', async () => {
    const { folder, lines } = await logOf20();
    lines.splice(7, 1);
    await writeLines(folder, lines);
    expect(await openLog(folder).verify()).toMatchObject({
      ok: false,
      file: 'audit.jsonl',
      line: 8,
      reason: 'seq 8 where 7 was expected (an entry is missing or out of order)',
    });
  });

  it('names the first of two reordered lines', async () => {
    const { folder, lines } = await logOf20();
    [lines[10], lines[11]] = [at(lines, 11), at(lines, 10)];
    await writeLines(folder, lines);
    expect(await openLog(folder).verify()).toMatchObject({
      ok: false,
      line: 11,
      reason: 'seq 11 where 10 was expected (an entry is missing or out of order)',
    });
  });

  it('names the last line when it is cut off halfway', async () => {
    const { folder, lines } = await logOf20();
    const text = lines.map((line) => `${line}\n`).join('');
    const last = at(lines, 19);
    await fs.writeFile(
      join(folder, 'audit.jsonl'),
      text.slice(0, text.length - 1 - Math.floor(last.length / 2)),
    );
    expect(await openLog(folder).verify()).toMatchObject({
      ok: false,
      line: 20,
      reason: 'cut off: not complete JSON',
      message: 'line 20 of audit.jsonl: cut off: not complete JSON',
    });
  });

  it('names an inserted empty line, a line that is not an entry, and a deleted first line', async () => {
    const { folder, lines } = await logOf20();
    await writeLines(folder, [...lines.slice(0, 3), '', ...lines.slice(3)]);
    expect(await openLog(folder).verify()).toMatchObject({ line: 4, reason: 'empty line' });

    await writeLines(folder, [...lines.slice(0, 3), '{"seq":3}', ...lines.slice(3)]);
    expect(await openLog(folder).verify()).toMatchObject({
      line: 4,
      reason: expect.stringMatching(/^not an audit entry/),
    });

    // With no rotated file before it, a head cut from the only file looks like
    // rotation: verify still reports where the kept chain starts.
    await writeLines(folder, lines.slice(5));
    expect(await openLog(folder).verify()).toEqual({
      ok: true,
      entries: 15,
      firstSeq: 5,
      headMissing: true,
    });
  });

  it('refuses an added field even with the rest intact', async () => {
    const { folder, lines } = await logOf20();
    lines[2] = at(lines, 2).replace('{', '{"note":"x",');
    await writeLines(folder, lines);
    expect(await openLog(folder).verify()).toMatchObject({
      line: 3,
      reason: expect.stringMatching(/^not an audit entry/),
    });
  });
});
