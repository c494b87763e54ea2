import { join } from 'node:path';
import { ensureFreshBundle, REPO_ROOT } from '../../support/fresh-bundle';
import { ensureBundle } from '../bridge/bundle';

// out/mcpb/custodian.mcpb as `npm run build` makes it, rebuilt when older
// than the bridge bundle or anything it is made from.

export const MCPB = join(REPO_ROOT, 'out/mcpb/custodian.mcpb');

export function ensureMcpb(): string {
  ensureBundle();
  ensureFreshBundle(
    'out/mcpb/custodian.mcpb',
    'build/scripts/build-mcpb.ts',
    [
      'out/bridge/custodian-mcp.js',
      'build/scripts/build-mcpb.ts',
      'build/scripts/mcpb-manifest.ts',
      'build/icon.png',
      'shared/builtin-tools.ts',
      'package.json',
    ],
    ['--import', 'tsx'],
  );
  return MCPB;
}
