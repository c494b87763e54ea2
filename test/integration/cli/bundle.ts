import { join } from 'node:path';
import { ensureFreshBundle, REPO_ROOT } from '../../support/fresh-bundle';

// The spawned tests run the bundle bin/custodian.mjs runs, rebuilt when stale.

export const CLI_BIN = join(REPO_ROOT, 'bin/custodian.mjs');
export const CLI_BUNDLE = join(REPO_ROOT, 'out/cli/custodian.js');

export function ensureCliBundle(): string {
  ensureFreshBundle('out/cli/custodian.js', 'build/scripts/build-cli.mjs', [
    'electron',
    'shared',
    'build/scripts/build-cli.mjs',
    'package.json',
  ]);
  return CLI_BIN;
}
