import { join } from 'node:path';
import { ensureFreshBundle, REPO_ROOT } from '../../support/fresh-bundle';

// The tests run the bundle exactly as an MCP client does, rebuilt when stale.

export const BUNDLE = join(REPO_ROOT, 'out/bridge/custodian-mcp.js');

export function ensureBundle(): string {
  ensureFreshBundle('out/bridge/custodian-mcp.js', 'build/scripts/build-bridge.mjs', [
    'electron/bridge',
    'electron/core/bridge',
    'shared/bridge-protocol.ts',
    'shared/agent-tools-file.ts',
    'shared/builtin-tools.ts',
    'shared/error-boundaries.ts',
    'shared/rpc',
    'build/scripts/build-bridge.mjs',
    'node_modules/@modelcontextprotocol/sdk/package.json',
    'package.json',
  ]);
  return BUNDLE;
}
