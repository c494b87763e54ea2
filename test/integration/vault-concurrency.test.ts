import { readdir, readFile, stat } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startCore, type CoreFixture } from '../support/core-fixture';

let fixture: CoreFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

describe('saving', () => {
  it('two saves at once both land', async () => {
    fixture = await startCore();
    const { vault, credentials } = fixture.core;
    await vault.create();
    await Promise.all([
      credentials.create({
        type: 'secret_note',
        name: 'first',
        description: '',
        fields: { note: '1' },
      }),
      credentials.create({
        type: 'secret_note',
        name: 'second',
        description: '',
        fields: { note: '2' },
      }),
    ]);
    await vault.lock();
    await vault.unlock();
    expect(credentials.list().map((c) => c.name)).toEqual(['first', 'second']);
  });

  it('fifty concurrent changes of every kind all land, in order', async () => {
    fixture = await startCore();
    const { vault, credentials } = fixture.core;
    await vault.create();
    const keep = await credentials.create({
      type: 'secret_note',
      name: 'renamed-0',
      description: '',
      fields: { note: 'n' },
    });
    const doomed = await credentials.create({
      type: 'secret_note',
      name: 'doomed',
      description: '',
      fields: { note: 'n' },
    });
    await Promise.all([
      ...Array.from({ length: 48 }, (_, i) =>
        credentials.create({
          type: 'secret_note',
          name: `note ${i}`,
          description: '',
          fields: { note: String(i) },
        }),
      ),
      credentials.update({ id: keep.id, name: 'renamed-1', fields: {}, clear: [] }),
      credentials.delete(doomed.id),
    ]);
    await vault.lock();
    await vault.unlock();
    const names = credentials.list().map((c) => c.name);
    expect(names).toHaveLength(49);
    expect(names).toContain('renamed-1');
    expect(names).not.toContain('doomed');
  });

  it('a failed save changes nothing in memory or on disk', async () => {
    fixture = await startCore();
    const { vault, credentials } = fixture.core;
    await vault.create();
    await credentials.create({
      type: 'secret_note',
      name: 'same',
      description: '',
      fields: { note: 'n' },
    });
    const before = await readFile(vault.path);
    await expect(
      credentials.create({
        type: 'secret_note',
        name: 'SAME',
        description: '',
        fields: { note: 'n' },
      }),
    ).rejects.toMatchObject({ code: 'name_taken' });
    expect(credentials.list()).toHaveLength(1);
    expect((await readFile(vault.path)).equals(before)).toBe(true);
  });

  it('keeps the previous file as a 0600 backup and writes the vault 0600', async () => {
    fixture = await startCore();
    const { vault, credentials } = fixture.core;
    await vault.create();
    const first = await readFile(vault.path);
    await credentials.create({
      type: 'secret_note',
      name: 'x',
      description: '',
      fields: { note: 'n' },
    });
    expect((await readFile(`${vault.path}.bak`)).equals(first)).toBe(true);
    expect((await stat(vault.path)).mode & 0o777).toBe(0o600);
    expect((await stat(`${vault.path}.bak`)).mode & 0o777).toBe(0o600);
    expect((await stat(fixture.dataDir)).mode & 0o777).toBe(0o700);
    expect((await readdir(fixture.dataDir)).sort()).toEqual(['vault.cvlt', 'vault.cvlt.bak']);
  });
});
