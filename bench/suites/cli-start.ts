import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Suite } from '../harness';

// How long `custodian --help` takes from exec to exit, the command as
// installed (bin/custodian.mjs running the bundle out/cli/custodian.js),
// beside a bare `node -e 0` (the floor any Node command pays) and the same
// command run from the sources through tsx (as every command ran before the
// bundle). Issue 13 asks for at most 4× the bare Node.

const root = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);
const node = (args: readonly string[]) => run(process.execPath, [...args], { cwd: root });

export const cliStartSuite: Suite = {
  name: 'cli-start',
  async setup(scale) {
    if (!existsSync(join(root, 'out', 'cli', 'custodian.js')))
      throw new Error('out/cli/custodian.js is missing: run `npm run build:cli` first');
    const iterations = Math.max(5, Math.round(30 * scale));
    return {
      figures: [
        {
          name: 'node_bare_start',
          label: 'node -e 0',
          warmup: 2,
          iterations,
          run: () => node(['-e', '0']),
        },
        {
          name: 'cli_help_start',
          label: 'custodian --help (the bundle)',
          warmup: 2,
          iterations,
          run: () => node([join(root, 'bin', 'custodian.mjs'), '--help']),
        },
        {
          name: 'cli_help_start_tsx',
          label: 'custodian --help from the sources through tsx',
          warmup: 1,
          iterations: Math.max(3, Math.round(10 * scale)),
          run: () =>
            node(['--import', 'tsx', join(root, 'electron/headless/cli/main.ts'), '--help']),
        },
      ],
      ratios: [
        {
          name: 'cli_help_start/node_bare_start',
          label: 'custodian --help / node -e 0 (target ≤ 4)',
          numerator: 'cli_help_start',
          denominator: 'node_bare_start',
        },
        {
          name: 'cli_help_start_tsx/node_bare_start',
          label: 'through tsx / node -e 0',
          numerator: 'cli_help_start_tsx',
          denominator: 'node_bare_start',
        },
      ],
      teardown: async () => {},
    };
  },
};
