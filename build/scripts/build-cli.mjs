#!/usr/bin/env node
// `npm run build:cli`: bundles the `custodian` command (electron/headless/cli/main.ts)
// into one ES module, out/cli/custodian.js, that bin/custodian.mjs runs with
// plain `node`: no TypeScript is compiled when a person types a command.
//
// esbuild, not the bridge's Rollup build, because of how each keeps a
// dynamic import inside one file: esbuild wraps the imported modules in
// functions that run on the first import(), so `custodian --help` evaluates
// the argument parser and nothing of the core (Rollup would evaluate every
// module at start). keytar is a native module and stays an import. The
// bundle sits two folders below the repository, as the sources it replaces
// do, so their paths to out/store, out/bridge and out/main/plugin-host.js hold.
// Written to a temp file and renamed, so a command running from the old file,
// or a second build at once, never sees half a file.
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const CLI_ENTRY = join(root, 'electron/headless/cli/main.ts');
export const CLI_OUT = join(root, 'out/cli/custodian.js');

// Bundled CommonJS packages may require() Node's built-ins; an ES module has no require of its own.
const REQUIRE_SHIM =
  "import { createRequire as __custodianRequire } from 'node:module';\n" +
  'const require = __custodianRequire(import.meta.url);';

export async function buildCli({ quiet = false } = {}) {
  const started = Date.now();
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const temp = `${CLI_OUT}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(dirname(CLI_OUT), { recursive: true });
  try {
    await build({
      absWorkingDir: root,
      entryPoints: [CLI_ENTRY],
      outfile: temp,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      mainFields: ['module', 'main'],
      conditions: ['node', 'import', 'default'],
      external: ['keytar'],
      define: { __CUSTODIAN_VERSION__: JSON.stringify(version) },
      banner: { js: `#!/usr/bin/env node\n${REQUIRE_SHIM}` },
      minify: true,
      legalComments: 'none',
      logLevel: quiet ? 'silent' : 'warning',
    });
    renameSync(temp, CLI_OUT);
    chmodSync(CLI_OUT, 0o755);
  } finally {
    rmSync(temp, { force: true });
  }
  const result = { path: CLI_OUT, bytes: statSync(CLI_OUT).size, ms: Date.now() - started };
  if (!quiet)
    console.log(
      `custodian: ${(result.bytes / 1024).toFixed(0)} KiB in ${result.ms} ms -> out/cli/custodian.js`,
    );
  return result;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await buildCli();
  } catch (error) {
    console.error(`build-cli: ${error.message}`);
    process.exit(1);
  }
}
