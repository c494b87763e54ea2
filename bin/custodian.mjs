#!/usr/bin/env node
// The installed `custodian` command runs the bundle `npm run build:cli`
// makes (out/cli/custodian.js): plain Node, no TypeScript compiled at each
// start. Developers run the sources through tsx with `npm run custodian`.
import { existsSync } from 'node:fs';

const bundle = new URL('../out/cli/custodian.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write(
    'custodian: the command is not built (out/cli/custodian.js is missing): ' +
      'run `npm run build:cli` (or `npm run build`) in the Custodian folder, ' +
      'or `npm run custodian -- ARGS` to run it from the sources\n',
  );
  process.exit(1);
}
await import(bundle.href);
