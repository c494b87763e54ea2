import { spawnSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SAVE_STEPS } from '../../electron/core/files/atomic-file';
import { startCore, type CoreFixture } from '../support/core-fixture';

// A save killed at each of its steps leaves the old vault or the new one,
// never a damaged one; the next open sweeps the temp files it left.

let fixture: CoreFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

describe('a save killed mid-way', () => {
  it.each(SAVE_STEPS)(
    'killed after "%s": the vault opens, old or new, with no stray files',
    async (step) => {
      fixture = await startCore();
      const { vault, credentials } = fixture.core;
      await vault.create();
      await credentials.create({
        type: 'secret_note',
        name: 'existing',
        description: '',
        fields: { note: 'n' },
      });
      await vault.lock();

      const child = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          join(import.meta.dirname, '../support/save-and-die.ts'),
          fixture.dataDir,
          fixture.keychainService,
          step,
        ],
        {
          encoding: 'utf8',
        },
      );
      expect(child.signal, child.stderr).toBe('SIGKILL');
      expect(child.stdout).not.toContain('survived');
      const leftover = (await readdir(fixture.dataDir)).filter((n) => n.includes('.tmp-'));
      // Before the folder sync: the temp file, or the link that keeps the replaced file until the sync.
      expect(leftover.length).toBe(step === 'directory-synced' ? 0 : 1);

      await vault.unlock();
      const names = credentials.list().map((c) => c.name);
      const renamed = SAVE_STEPS.indexOf(step) >= SAVE_STEPS.indexOf('renamed');
      expect(names).toEqual(renamed ? [`added before ${step}`, 'existing'] : ['existing']);
      expect((await readdir(fixture.dataDir)).filter((n) => n.includes('.tmp-'))).toEqual([]);

      // And it goes on working: the next save lands.
      await credentials.create({
        type: 'secret_note',
        name: 'after',
        description: '',
        fields: { note: 'n' },
      });
      await vault.lock();
      await vault.unlock();
      expect(credentials.list().map((c) => c.name)).toContain('after');
    },
  );
});
