import { join } from 'node:path';

// How an MCP client such as Claude Desktop starts our bridge. The app's own
// binary runs the bundled bridge as plain Node (ELECTRON_RUN_AS_NODE), so a
// person needs no Node installed; this keeps the RunAsNode fuse on, the one
// fuse the bridge needs.

export interface BridgeCommandInput {
  isPackaged: boolean;
  /** process.execPath: the app's binary. */
  execPath: string;
  /** process.resourcesPath, where the packaged app keeps the bridge. */
  resourcesPath: string;
  /** Where the built main process is (out/main) in development. */
  mainDir: string;
}

/** custodian.mcpb, which the Agents view saves for Claude Desktop: resources/mcpb/ packaged, out/mcpb/ built. */
export function bundledMcpbPath(input: Omit<BridgeCommandInput, 'execPath'>): string {
  return input.isPackaged
    ? join(input.resourcesPath, 'mcpb', 'custodian.mcpb')
    : join(input.mainDir, '..', 'mcpb', 'custodian.mcpb');
}

export function bridgeCommand(input: BridgeCommandInput): {
  command: string;
  args: string[];
  env: Record<string, string>;
} {
  const script = input.isPackaged
    ? join(input.resourcesPath, 'bridge', 'custodian-mcp.js')
    : join(input.mainDir, '..', 'bridge', 'custodian-mcp.js');
  return { command: input.execPath, args: [script], env: { ELECTRON_RUN_AS_NODE: '1' } };
}
