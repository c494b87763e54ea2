import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Spawned tests run a bundle exactly as it ships. It is rebuilt by its own
// build script when missing or older than any source it is made from.

export const REPO_ROOT = join(import.meta.dirname, '../..');

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** Rebuilds `bundle` with `script` when stale; paths are relative to the repository. */
export function ensureFreshBundle(
  bundle: string,
  script: string,
  sources: string[],
  /** Before the script, e.g. ['--import', 'tsx'] for a TypeScript one. */
  nodeArgs: string[] = [],
): void {
  let built = 0;
  try {
    built = statSync(join(REPO_ROOT, bundle)).mtimeMs;
  } catch {
    // Missing: build it.
  }
  if (built <= Math.max(...sources.map((p) => newest(join(REPO_ROOT, p)))))
    execFileSync(process.execPath, [...nodeArgs, join(REPO_ROOT, script)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
}
