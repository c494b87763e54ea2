import type { AuditRecordInfo } from '../../../../shared/agents';
import { CustodianError } from '../../../../shared/errors';
import { withCore } from '../client';
import { printJson, printTable, say } from '../output';

// `custodian audit list` and `custodian audit verify`, over the admin socket
// to the core that holds the vault (the key that checks the chain is in it).

export interface AuditListOptions {
  tool?: string;
  client?: string;
  /** Any time Date understands ("2026-03-01", an ISO time); entries at or after it. */
  since?: string;
  json: boolean;
}

/** Every kept entry that matches, oldest first: the pages are followed to the end. */
export async function listAudit(dataDir: string, options: AuditListOptions): Promise<number> {
  const since = options.since === undefined ? undefined : isoTime(options.since);
  const entries: AuditRecordInfo[] = await withCore(dataDir, async (core) => {
    const all: AuditRecordInfo[] = [];
    let after: number | undefined;
    for (;;) {
      const page = await core.call('audit:list', {
        ...(options.tool !== undefined ? { tool: options.tool } : {}),
        ...(options.client !== undefined ? { client: options.client } : {}),
        ...(since !== undefined ? { since } : {}),
        ...(after !== undefined ? { after } : {}),
      });
      all.push(...page.entries);
      if (page.next === null) return all;
      after = page.next;
    }
  });
  if (options.json) printJson(entries);
  else if (entries.length === 0) say('no entries match');
  else
    printTable(
      ['SEQ', 'TIME', 'CLIENT', 'TOOL', 'CREDENTIAL', 'OUTCOME', 'DETAIL'],
      entries.map((e) => [
        String(e.seq),
        e.time,
        e.client,
        e.tool,
        e.credential ?? '',
        e.decision ? `${e.outcome}/${e.decision}` : e.outcome,
        e.detail ?? '',
      ]),
    );
  return 0;
}

/** Exits 0 with what was checked, or non-zero with the first problem (code audit_tampered). */
export async function verifyAudit(dataDir: string, json: boolean): Promise<number> {
  const { verdict } = await withCore(dataDir, (core) => core.call('audit:verify', {}));
  if (json) printJson(verdict);
  if (!verdict.ok)
    throw new CustodianError(
      'audit_tampered',
      `the audit log failed its check: ${verdict.message}`,
    );
  if (!json) {
    const rotated = verdict.headMissing
      ? `; older entries were rotated away on purpose, it starts at entry ${verdict.firstSeq ?? 0}`
      : '';
    say(`the audit log is intact: ${verdict.entries} entries checked${rotated}`);
  }
  return 0;
}

function isoTime(text: string): string {
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw new CustodianError(
      'usage',
      `--since takes a time such as 2026-03-01 or 2026-03-01T09:00:00Z`,
    );
  return new Date(ms).toISOString();
}
