import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_TEXT_LIMITS } from '../../../electron/core/audit';
import { entry, openLog, readLines, tempFolder } from './helpers';

async function allFileBytes(folder: string): Promise<Buffer> {
  const names = await fs.readdir(folder);
  return Buffer.concat(await Promise.all(names.map((name) => fs.readFile(join(folder, name)))));
}

describe('AuditLog safety', () => {
  it('lands 200 concurrent appends in call order with a valid chain', async () => {
    const folder = await tempFolder();
    // A small limit makes the burst cross several rotations too.
    const log = openLog(folder, { maxFileBytes: 16 * 1024 });
    const records = await Promise.all(
      Array.from({ length: 200 }, (_, n) => log.append(entry(n, { credential: `c${n}` }))),
    );
    await log.close();
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 200 }, (_, n) => n));
    expect(records.map((r) => r.credential)).toEqual(records.map((_, n) => `c${n}`));
    // Times follow seq: each is taken in turn, when the entry is written.
    const times = records.map((r) => Date.parse(r.time));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(await log.verify()).toEqual({
      ok: true,
      entries: 200,
      firstSeq: 0,
      headMissing: false,
    });
    const newestFirst = await log.query({ limit: 1000 });
    expect(newestFirst.map((r) => r.credential)).toEqual(
      records.map((r) => r.credential).reverse(),
    );
  });

  it('leaves no trace of a secret in the payload, raw, base64 or hex', async () => {
    const folder = await tempFolder();
    const log = openLog(folder, { maxFileBytes: 2048 });
    const secret = 'sk-live-51HxQ7TzPq9vW2mNcR8aLbY3dE6fG0hJ';
    for (let n = 0; n < 10; n++) {
      await log.append(
        entry(n, { payload: { headers: { Authorization: `Bearer ${secret}` }, n, secret } }),
      );
    }
    await log.close();
    expect((await fs.readdir(folder)).length).toBeGreaterThan(1);
    const bytes = await allFileBytes(folder);
    const text = bytes.toString('utf8');
    const raw = Buffer.from(secret);
    for (const form of [
      secret,
      raw.toString('base64'),
      raw.toString('base64url'),
      raw.toString('hex'),
      raw.toString('hex').toUpperCase(),
      // A fragment is enough to give a key away.
      secret.slice(8, 24),
    ]) {
      expect(text).not.toContain(form);
    }
    expect(bytes.includes(Buffer.from(secret, 'utf16le'))).toBe(false);
    for (const line of await readLines(folder)) {
      expect(Object.keys(JSON.parse(line))).not.toContain('payload');
    }
  });

  it('creates the folder 0700 and the files 0600, tightening ones it finds loose', async () => {
    const folder = await tempFolder();
    const log = openLog(folder, { maxFileBytes: 1024 });
    for (let n = 0; n < 8; n++) await log.append(entry(n));
    await log.close();
    expect((await fs.stat(folder)).mode & 0o777).toBe(0o700);
    const names = await fs.readdir(folder);
    expect(names.length).toBeGreaterThan(1);
    for (const name of names) {
      expect((await fs.stat(join(folder, name))).mode & 0o777).toBe(0o600);
    }

    await fs.chmod(folder, 0o755);
    await fs.chmod(join(folder, 'audit.jsonl'), 0o644);
    await log.append(entry(9));
    await log.close();
    expect((await fs.stat(folder)).mode & 0o777).toBe(0o700);
    expect((await fs.stat(join(folder, 'audit.jsonl'))).mode & 0o777).toBe(0o600);
  });

  it('strips control and invisible characters and caps detail and names', async () => {
    const folder = await tempFolder();
    const log = openLog(folder);
    const record = await log.append(
      entry(1, {
        client: 'Evil\u0000Agent\u001b[31m\u202e1.0',
        tool: 'pgp\r\n_sign',
        credential: 'work\u200b-key\u2028',
        detail: `bad\u0007\tline\nnext\u0085${'x'.repeat(300)}`,
      }),
    );
    expect(record.client).toBe('EvilAgent[31m1.0');
    expect(record.tool).toBe('pgp_sign');
    expect(record.credential).toBe('work-key');
    expect(record.detail?.startsWith('badlinenextxxx')).toBe(true);
    expect(Array.from(record.detail ?? '')).toHaveLength(AUDIT_TEXT_LIMITS.detail);
    expect(record.detail?.endsWith('…')).toBe(true);

    const long = await log.append(entry(2, { detail: '\ud83d\udd11'.repeat(250), client: 'c' }));
    // Capped by characters, never splitting a surrogate pair.
    expect(Array.from(long.detail ?? '')).toHaveLength(200);
    expect(long.detail).toBe(`${'\ud83d\udd11'.repeat(199)}…`);
    const lone = await log.append(entry(3, { detail: 'a\ud800b' }));
    expect(lone.detail).toBe('ab');
    await log.close();

    const onDisk = JSON.parse((await readLines(folder))[0] ?? '');
    expect(onDisk.detail).toBe(record.detail);
    expect(await log.verify()).toMatchObject({ ok: true, entries: 3 });
  });

  it('keeps a short detail as it is and leaves it out when none is given', async () => {
    const log = openLog(await tempFolder());
    expect((await log.append(entry(1, { detail: 'HTTP 403 from api.example.com' }))).detail).toBe(
      'HTTP 403 from api.example.com',
    );
    const none = await log.append(entry(2, { decision: undefined }));
    expect(none).not.toHaveProperty('detail');
    expect(none).not.toHaveProperty('decision');
    await log.close();
  });

  it('runs redact over detail before writing it', async () => {
    const folder = await tempFolder();
    const secret = 'hunter2-but-longer-and-secret';
    const log = openLog(folder, { redact: (text) => text.replaceAll(secret, '[withheld]') });
    const record = await log.append(entry(1, { detail: `upstream said: bad token ${secret}` }));
    await log.close();
    expect(record.detail).toBe('upstream said: bad token [withheld]');
    expect((await allFileBytes(folder)).toString('utf8')).not.toContain(secret);
  });
});
