import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// The spawned tests run the bundle bin/custodian.mjs runs, rebuilt when
// missing or older than any source it is made from.

const root = join(import.meta.dirname, '../../..');
export const CLI_BIN = join(root, 'bin/custodian.mjs');
export const CLI_BUNDLE = join(root, 'out/cli/custodian.js');

const SOURCES = ['electron', 'shared', 'build/scripts/build-cli.mjs', 'package.json'];

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

export function ensureCliBundle(): string {
  let built = 0;
  try {
    built = statSync(CLI_BUNDLE).mtimeMs;
  } catch {
    // Missing: build it.
  }
  if (built <= Math.max(...SOURCES.map((p) => newest(join(root, p)))))
    execFileSync(process.execPath, [join(root, 'build/scripts/build-cli.mjs')], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  return CLI_BIN;
}
