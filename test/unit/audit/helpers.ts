import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { AuditLog, type AuditEntryInput, type AuditLogOptions } from '../../../electron/core/audit';

// Real folders under the OS temp dir, removed after each test.
const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await fs.rm(dir, { recursive: true, force: true });
});

export async function tempFolder(): Promise<string> {
  const dir = await fs.mkdtemp(join(tmpdir(), 'custodian-audit-'));
  made.push(dir);
  return join(dir, 'audit');
}

/** A clock that moves one second per reading, from a fixed start. */
export function steppingClock(start = '2026-01-01T00:00:00.000Z'): () => Date {
  let ms = Date.parse(start);
  return () => new Date((ms += 1000));
}

export function openLog(folder: string, options: Partial<AuditLogOptions> = {}): AuditLog {
  return new AuditLog({ folder, fs, now: steppingClock(), ...options });
}

export function entry(n: number, extra: Partial<AuditEntryInput> = {}): AuditEntryInput {
  return {
    client: 'Claude Desktop 1.2',
    tool: n % 2 ? 'pgp_sign' : 'http_request',
    credential: `cred-${n}`,
    outcome: n % 3 ? 'succeeded' : 'denied',
    decision: 'policy',
    payload: { n, text: `payload ${n}` },
    ...extra,
  };
}

export async function appendMany(log: AuditLog, count: number, from = 0): Promise<void> {
  for (let n = from; n < from + count; n++) await log.append(entry(n));
}

export async function readLines(folder: string, name = 'audit.jsonl'): Promise<string[]> {
  const text = await fs.readFile(join(folder, name), 'utf8');
  return text.split('\n').slice(0, -1);
}

export async function writeLines(folder: string, lines: string[], name = 'audit.jsonl') {
  await fs.writeFile(join(folder, name), lines.map((line) => `${line}\n`).join(''));
}
