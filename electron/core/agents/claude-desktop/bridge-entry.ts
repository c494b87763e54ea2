import { posix, win32 } from 'node:path';

/** One `mcpServers` entry, the shape Claude Desktop and most MCP clients read. */
export interface McpServerEntry {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

export const SERVER_NAME = 'custodian';

export interface BridgeEntryInput {
  /** The packaged app's launcher, or in development the path of `node`. */
  command: string;
  /** Arguments before `--data`; in development `[<repo>/out/bridge/custodian-mcp.js]`. */
  args?: readonly string[];
  /** The app's data folder, absolute; the bridge gets it as `--data DIR`. */
  dataDir: string;
  env?: Readonly<Record<string, string>>;
}

/** The `mcpServers.custodian` entry that launches the bridge. */
export function bridgeEntry(input: BridgeEntryInput): McpServerEntry {
  const { command, args = [], dataDir, env } = input;
  if (typeof command !== 'string' || command.trim() === '' || command.includes('\0')) {
    throw new TypeError('The bridge command must be a non-empty string.');
  }
  if (!args.every((a) => typeof a === 'string' && !a.includes('\0'))) {
    throw new TypeError('Bridge arguments must be strings.');
  }
  // Claude Desktop starts the bridge from a folder of its choosing: only an absolute path works.
  if (
    typeof dataDir !== 'string' ||
    dataDir.includes('\0') ||
    !(posix.isAbsolute(dataDir) || win32.isAbsolute(dataDir))
  ) {
    throw new TypeError('The data folder must be an absolute path.');
  }
  const entry: McpServerEntry = { command, args: [...args, '--data', dataDir] };
  if (env && Object.keys(env).length > 0) {
    if (!Object.values(env).every((v) => typeof v === 'string')) {
      throw new TypeError('Bridge environment values must be strings.');
    }
    entry.env = { ...env };
  }
  return entry;
}

/** The JSON to paste into another MCP client's configuration. */
export function snippetForOtherClients(entry: McpServerEntry): string {
  return JSON.stringify({ mcpServers: { [SERVER_NAME]: entry } }, null, 2);
}
