import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from './core-fixture';

// The fixture plugins, built from source by `npm run plugins:build` (the test
// command runs it first) into plugins/fixtures/<name>/build/.

const repo = join(import.meta.dirname, '..', '..');

export function fixtureDir(name: string): string {
  return join(repo, 'plugins', 'fixtures', name, 'build');
}

/** A copy of a fixture whose plugin.toml is edited, for manifests that must be refused. */
export async function editedFixture(name: string, edit: (toml: string) => string): Promise<string> {
  const dir = join(await makeTempDir('custodian-fixture-'), name);
  await cp(fixtureDir(name), dir, { recursive: true });
  const path = join(dir, 'plugin.toml');
  await writeFile(path, edit(await readFile(path, 'utf8')));
  return dir;
}
