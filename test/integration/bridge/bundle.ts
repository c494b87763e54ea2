import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// The tests run the bundle exactly as an MCP client does. It is rebuilt when
// missing or older than any source it is made from.

const root = join(import.meta.dirname, '../../..');
export const BUNDLE = join(root, 'out/bridge/custodian-mcp.js');

const SOURCES = [
  'electron/bridge',
  'electron/core/bridge',
  'shared/bridge-protocol.ts',
  'build/scripts/build-bridge.mjs',
  'node_modules/@modelcontextprotocol/sdk/package.json',
  'package.json',
];

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

export function ensureBundle(): string {
  let built = 0;
  try {
    built = statSync(BUNDLE).mtimeMs;
  } catch {
    // Missing: build it.
  }
  const sources = Math.max(...SOURCES.map((p) => newest(join(root, p))));
  if (built <= sources)
    execFileSync(process.execPath, [join(root, 'build/scripts/build-bridge.mjs')], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  return BUNDLE;
}
