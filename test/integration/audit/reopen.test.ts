import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resultOf } from '../../support/core-fixture';
import { startAuditCore, type AuditCore } from './audit-core';
import { forgedChain, readLog } from './tamper-tools';

// Issue 14: replacing or deleting audit.jsonl while the core ran sent every
// later entry to a file no longer there. The log now checks, before each
// write, that its open file is still the one at the path, opens the new one
// if not, and records that it did.

let fixture: AuditCore | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

async function started() {
  fixture = await startAuditCore();
  for (let i = 0; i < 3; i++) await fixture.core.agents.call('agent', 'list_credentials', { i });
  return fixture;
}

describe('audit.jsonl replaced or deleted while the core runs', () => {
  it('writes the next entries to the new file, after an entry saying it was replaced', async () => {
    const { core, auditDir } = await started();
    const path = join(auditDir, 'audit.jsonl');
    await writeFile(join(auditDir, 'forged.jsonl'), forgedChain(2).join('\n') + '\n');
    await rename(join(auditDir, 'forged.jsonl'), path);
    await core.agents.call('agent', 'list_credentials', { after: true });
    const lines = (await readLog(auditDir)).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(
      lines.map((l) => `${l.seq as number} ${l.client as string} ${(l.event as string) ?? ''}`),
    ).toEqual(['0 innocent ', '1 innocent ', '3 custodian reopened', '4 agent ']);
    expect(lines[2]?.detail).toBe(
      'audit.jsonl was replaced by another file while Custodian ran; the new file was opened',
    );
    // And the check does not take the forged file for the log.
    expect(resultOf(await core.dispatch('audit:verify', {}))).toMatchObject({ ok: false });
  });

  it('starts a new file when it was deleted, and says so in it', async () => {
    const { core, auditDir } = await started();
    await rm(join(auditDir, 'audit.jsonl'));
    await core.agents.call('agent', 'list_credentials', { after: true });
    const lines = (await readLog(auditDir)).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => `${l.seq as number} ${(l.event as string) ?? ''}`)).toEqual([
      '3 reopened',
      '4 ',
    ]);
    expect(lines[0]?.detail).toBe(
      'audit.jsonl was deleted while Custodian ran; a new one was started',
    );
    const verdict = resultOf(await core.dispatch('audit:verify', {}));
    expect(verdict.ok ? '' : verdict.reason).toBe(
      'entries before seq 3 are missing, and no rotation entry names them (deleted, not rotated away)',
    );
  });
});
