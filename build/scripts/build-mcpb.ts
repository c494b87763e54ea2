// `npm run build:mcpb` (part of `npm run build`, after build:bridge):
// out/mcpb/custodian.mcpb, an MCP Bundle of the bundled bridge
// (out/bridge/custodian-mcp.js), Custodian's icon and the manifest of
// mcpb-manifest.ts, validated and packed by Anthropic's own @anthropic-ai/mcpb.
// Staged in a temp folder beside the output and written by rename, so a failed
// build never leaves half a bundle.
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packExtension, validateManifest } from '@anthropic-ai/mcpb';
import { MCPB_ENTRY_POINT, MCPB_ICON, mcpbManifest } from './mcpb-manifest';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const MCPB_OUT = join(root, 'out/mcpb/custodian.mcpb');
const BRIDGE = join(root, 'out/bridge/custodian-mcp.js');
const ICON = join(root, 'build/icon.png');

export async function buildMcpb(): Promise<string> {
  const started = Date.now();
  const app = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
    version: string;
    description: string;
  };
  const temp = join(dirname(MCPB_OUT), `.tmp-${process.pid}-${Date.now()}`);
  const stage = join(temp, 'custodian');
  try {
    await mkdir(join(stage, dirname(MCPB_ENTRY_POINT)), { recursive: true });
    await copyFile(BRIDGE, join(stage, MCPB_ENTRY_POINT));
    await copyFile(ICON, join(stage, MCPB_ICON));
    const manifest = join(stage, 'manifest.json');
    await writeFile(manifest, `${JSON.stringify(mcpbManifest(app), null, 2)}\n`);
    if (!validateManifest(manifest)) throw new Error('mcpb refused the manifest (see above)');
    const packed = join(temp, 'custodian.mcpb');
    if (!(await packExtension({ extensionPath: stage, outputPath: packed, silent: true })))
      throw new Error('mcpb could not pack the bundle');
    await rename(packed, MCPB_OUT);
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  console.log(`custodian.mcpb in ${Date.now() - started} ms -> out/mcpb/custodian.mcpb`);
  return MCPB_OUT;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildMcpb().catch((error: unknown) => {
    console.error(`build:mcpb failed: ${(error as Error).message}`);
    process.exit(1);
  });
}
