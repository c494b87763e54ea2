import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson } from '../../../electron/core/audit';
import { GENESIS_PREV, sealLine, type AuditBody } from '../../../electron/core/audit/audit-chain';

// What an attacker with write access to the data folder, but not the vault,
// can do to the log: edit lines and recompute every link, with the old
// unkeyed hash or with a key of their own, or write a chain from nothing.

export async function readLog(dir: string, name = 'audit.jsonl'): Promise<string[]> {
  return (await readFile(join(dir, name), 'utf8')).split('\n').filter((l) => l !== '');
}

export async function writeLog(dir: string, lines: string[], name = 'audit.jsonl') {
  await writeFile(join(dir, name), lines.map((l) => `${l}\n`).join(''));
}

/** Rewrites every line's links from `prev` on: unkeyed hashes, or MACs with the attacker's own key. */
export function relink(lines: string[], key: Buffer | undefined, prev?: string): string[] {
  let link = prev ?? (JSON.parse(lines[0] ?? '{}') as { prev: string }).prev;
  return lines.map((raw) => {
    const parsed = JSON.parse(raw) as AuditBody & { hash?: string; mac?: string };
    delete parsed.hash;
    delete parsed.mac;
    const sealed = sealLine({ ...parsed, prev: link }, key);
    link = sealed.link;
    return sealed.line;
  });
}

export const attackerKey = (): Buffer => randomBytes(32);

/** A chain from nothing: `count` plausible entries from seq 0. */
export function forgedChain(count: number, key?: Buffer): string[] {
  const lines: string[] = [];
  for (let seq = 0; seq < count; seq++) {
    lines.push(
      canonicalJson({
        seq,
        prev: GENESIS_PREV,
        time: new Date(Date.UTC(2026, 2, 1, 9, 0, seq)).toISOString(),
        client: 'innocent',
        tool: 'list_credentials',
        credential: null,
        outcome: 'succeeded',
        decision: 'policy',
        payloadHash: '0'.repeat(64),
        hash: '0'.repeat(64),
      }),
    );
  }
  return relink(lines, key, GENESIS_PREV);
}
