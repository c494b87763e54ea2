import * as fs from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, GENESIS_PREV } from '../../../electron/core/audit';
import { appendMany, entry, openLog, readLines, tempFolder } from './helpers';

describe('AuditLog append and verify', () => {
  it('writes one chained JSON line per entry and verifies them', async () => {
    const folder = await tempFolder();
    const log = openLog(folder);
    const first = await log.append(entry(0));
    expect(first).toEqual({
      seq: 0,
      time: '2026-01-01T00:00:01.000Z',
      client: 'Claude Desktop 1.2',
      tool: 'http_request',
      credential: 'cred-0',
      outcome: 'denied',
      decision: 'policy',
      payloadHash: sha256(canonicalJson({ n: 0, text: 'payload 0' })),
    });
    await appendMany(log, 9, 1);
    await log.close();

    const lines = (await readLines(folder)).map((line) => JSON.parse(line));
    expect(lines).toHaveLength(10);
    expect(lines[0].prev).toBe(GENESIS_PREV);
    for (const [i, line] of lines.entries()) {
      expect(line.seq).toBe(i);
      if (i > 0) expect(line.prev).toBe(lines[i - 1].hash);
      const { hash, ...body } = line;
      expect(hash).toBe(sha256(line.prev + canonicalJson(body)));
    }
    expect(await log.verify()).toEqual({ ok: true, entries: 10, firstSeq: 0, headMissing: false });
  });

  it('verifies an empty or absent log as ok', async () => {
    const folder = await tempFolder();
    expect(await openLog(folder).verify()).toEqual({
      ok: true,
      entries: 0,
      firstSeq: null,
      headMissing: false,
    });
  });

  it('hashes the payload canonically: key order does not matter, content does', async () => {
    const log = openLog(await tempFolder());
    const a = await log.append(entry(1, { payload: { b: [1, { y: 2, x: 1 }], a: 'x' } }));
    const b = await log.append(entry(1, { payload: { a: 'x', b: [1, { x: 1, y: 2 }] } }));
    const c = await log.append(entry(1, { payload: { a: 'y', b: [1, { x: 1, y: 2 }] } }));
    const d = await log.append(entry(1, { payload: undefined }));
    expect(a.payloadHash).toBe(b.payloadHash);
    expect(c.payloadHash).not.toBe(a.payloadHash);
    expect(d.payloadHash).toBe(sha256('null'));
    await log.close();
  });

  it('refuses a field it does not know and an unknown outcome, writing nothing', async () => {
    const folder = await tempFolder();
    const log = openLog(folder);
    await expect(log.append({ ...entry(1), secret: 'x' } as never)).rejects.toThrow();
    await expect(log.append({ ...entry(1), outcome: 'maybe' } as never)).rejects.toThrow();
    await log.append(entry(2));
    await log.close();
    const lines = await readLines(folder);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '').seq).toBe(0);
  });

  it('answers queries newest first with filters, without the chain fields', async () => {
    const folder = await tempFolder();
    const log = openLog(folder);
    await appendMany(log, 12);
    await log.append(entry(12, { client: 'cli', outcome: 'rate_limited' }));

    const all = await log.query();
    expect(all.map((r) => r.seq)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(all[0]).not.toHaveProperty('hash');
    expect(all[0]).not.toHaveProperty('prev');

    expect((await log.query({ tool: 'pgp_sign' })).map((r) => r.seq)).toEqual([11, 9, 7, 5, 3, 1]);
    expect((await log.query({ outcome: 'denied' })).map((r) => r.seq)).toEqual([9, 6, 3, 0]);
    expect((await log.query({ client: 'cli' })).map((r) => r.seq)).toEqual([12]);
    expect((await log.query({ limit: 3 })).map((r) => r.seq)).toEqual([12, 11, 10]);
    // The stepping clock gives seq n the time 00:00:(n+1).
    const since = '2026-01-01T00:00:11.000Z';
    expect((await log.query({ since })).map((r) => r.seq)).toEqual([12, 11, 10]);
    await expect(log.query({ limit: 0 })).rejects.toThrow();
    await log.close();
  });

  it('keeps appending after close, continuing the chain', async () => {
    const folder = await tempFolder();
    const log = openLog(folder);
    await appendMany(log, 2);
    await log.close();
    await appendMany(log, 2, 2);
    await log.close();
    expect(await log.verify()).toMatchObject({ ok: true, entries: 4 });
  });

  it('starts a fresh line after a line a crash cut short, and verify names the cut line', async () => {
    const folder = await tempFolder();
    const log = openLog(folder);
    await appendMany(log, 3);
    await log.close();
    const lines = await readLines(folder);
    const cut = (lines[2] ?? '').slice(0, 40);
    await fs.writeFile(`${folder}/audit.jsonl`, `${lines[0]}\n${lines[1]}\n${cut}`);

    const after = openLog(folder);
    const record = await after.append(entry(3));
    await after.close();
    // It continues from the last whole entry; the cut line stays, as evidence.
    expect(record.seq).toBe(2);
    const now = await readLines(folder);
    expect(now).toHaveLength(4);
    expect(now[2]).toBe(cut);
    expect(await after.verify()).toMatchObject({ ok: false, line: 3, reason: 'not valid JSON' });
  });
});

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
