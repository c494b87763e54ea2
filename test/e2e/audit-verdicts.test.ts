import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { attackerKey, forgedChain, relink } from '../integration/audit/tamper-tools';
import { startRig, type Rig } from './harness';

// The Activity view's integrity check gives the verdicts `custodian audit
// verify` gives, on a real headless core: intact; an edit with the chain
// recomputed; the tail cut; the file deleted; a forged chain; the file
// replaced while the core runs. Tests run in order on one vault, each
// putting the file back as it found it.

describe('the Activity view reports each way of rewriting the audit log', () => {
  let rig: Rig;
  let page: Page;
  let file: string;
  let original: string;

  const check = async () => {
    await page.getByRole('button', { name: 'Check integrity' }).click();
  };
  const tampered = async (reason: RegExp, shot: string) => {
    await check();
    // The alert of the previous check may still be showing: wait for this reason.
    const alert = page.getByRole('alert').filter({ hasText: reason });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/tampered/);
    await expect.poll(() => page.getByText('chain intact').count()).toBe(0);
    await rig.screenshot(page, shot);
  };
  const intact = async (count: number) => {
    await check();
    await page.getByText(`${count} entries, chain intact.`).waitFor();
  };

  beforeAll(async () => {
    rig = await startRig();
    expect(await rig.core.dispatch('vault:create', {})).toHaveProperty('result');
    for (let i = 0; i < 4; i++)
      await rig.core.agents.call(`agent-${i % 2}`, 'list_credentials', { query: `q${i}` });
    file = join(rig.dataDir, 'audit', 'audit.jsonl');
    original = await readFile(file, 'utf8');
    page = await rig.newPage();
    await page.goto('/');
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: 'Activity', exact: true })
      .click();
    await page.getByRole('heading', { name: 'Activity', level: 1 }).waitFor();
  });
  afterEach(() => {
    expect(rig.problems.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await rig?.close();
  });

  const lines = () => original.split('\n').filter(Boolean);
  const put = (content: string[]) => writeFile(file, content.map((l) => `${l}\n`).join(''));

  it('says intact for the untouched log', async () => {
    await intact(4);
    await rig.screenshot(page, 'a1-audit-intact');
  });

  it('names an edit with the chain recomputed without the key, or with another', async () => {
    const edited = lines();
    edited[1] = (edited[1] ?? '').replace('"client":"agent-1"', '"client":"agent-0"');
    await put(relink(edited, undefined));
    await tampered(
      /line 1 of audit\.jsonl: an unkeyed entry where the log is keyed/,
      'a2-audit-unkeyed',
    );
    await put(relink(edited, attackerKey()));
    await tampered(/line 1 of audit\.jsonl: MAC does not match its content/, 'a3-audit-other-key');
    await writeFile(file, original);
    await intact(4);
  });

  it('names the cut tail and the deleted file', async () => {
    await put(lines().slice(0, 2));
    await tampered(/the log ends at entry 1, but the vault anchors entry 3/, 'a4-audit-tail-cut');
    await rm(file);
    await tampered(
      /the log is empty or deleted, but the vault anchors entry 3/,
      'a5-audit-deleted',
    );
    await writeFile(file, original);
    await intact(4);
  });

  it('names a chain forged from nothing', async () => {
    await put(forgedChain(6, attackerKey()));
    await tampered(/line 1 of audit\.jsonl: MAC does not match its content/, 'a6-audit-forged');
    await writeFile(file, original);
    await intact(4);
  });

  it('names the file replaced while the core runs, after the core recorded it', async () => {
    const forged = `${file}.new`;
    await put([]);
    await writeFile(
      forged,
      forgedChain(2)
        .map((l) => `${l}\n`)
        .join(''),
    );
    await rename(forged, file);
    await rig.core.agents.call('agent-0', 'list_credentials', {});
    expect(await readFile(file, 'utf8')).toContain('"event":"reopened"');
    await tampered(/audit\.jsonl/, 'a7-audit-replaced');
  });
});
