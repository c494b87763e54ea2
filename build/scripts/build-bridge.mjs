#!/usr/bin/env node
// `npm run build:bridge`: bundles the stdio MCP bridge (electron/bridge/main.ts)
// into one standalone ES module, out/bridge/custodian-mcp.js, that plain
// `node` runs: every dependency (the MCP SDK, zod, ajv) is inlined, only Node's
// built-ins stay imports. Written to a temp file and renamed, so a bridge
// running from the old file, or a second build at once, never sees half a file.
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const BRIDGE_ENTRY = join(root, 'electron/bridge/main.ts');
export const BRIDGE_OUT = join(root, 'out/bridge/custodian-mcp.js');

export async function buildBridge({ quiet = false } = {}) {
  const started = Date.now();
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const tempDir = join(dirname(BRIDGE_OUT), `.tmp-${process.pid}-${Date.now()}`);
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  try {
    await build({
      configFile: false,
      root,
      logLevel: quiet ? 'silent' : 'warn',
      define: { __CUSTODIAN_VERSION__: JSON.stringify(version) },
      resolve: { conditions: ['node', 'import', 'default'] },
      ssr: { noExternal: true, target: 'node' },
      build: {
        ssr: BRIDGE_ENTRY,
        target: 'node20',
        outDir: tempDir,
        emptyOutDir: true,
        minify: true,
        sourcemap: false,
        copyPublicDir: false,
        reportCompressedSize: false,
        rollupOptions: {
          external: (id) => builtins.has(id),
          output: {
            format: 'es',
            entryFileNames: 'custodian-mcp.js',
            banner: '#!/usr/bin/env node',
            codeSplitting: false,
          },
        },
      },
    });
    mkdirSync(dirname(BRIDGE_OUT), { recursive: true });
    renameSync(join(tempDir, 'custodian-mcp.js'), BRIDGE_OUT);
    chmodSync(BRIDGE_OUT, 0o755);
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
  const result = { path: BRIDGE_OUT, bytes: statSync(BRIDGE_OUT).size, ms: Date.now() - started };
  if (!quiet)
    console.log(
      `custodian-mcp: ${(result.bytes / 1024).toFixed(0)} KiB in ${result.ms} ms -> out/bridge/custodian-mcp.js`,
    );
  return result;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await buildBridge();
  } catch (error) {
    console.error(`build-bridge: ${error.message}`);
    process.exit(1);
  }
}
