import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  getDefaultEnvironment,
  StdioClientTransport,
} from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  ToolListChangedNotificationSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { eventually } from '../../support/eventually';

// An MCP client as Claude Desktop is one: the SDK's own stdio client, starting
// a bridge (the bundle, or another entry point such as an unpacked .mcpb) with
// plain node, with its stderr kept for the test.

export interface Agent {
  client: Client;
  stderr: () => string;
  /** Until the bridge logs a line containing `text`. */
  logged: (text: string) => Promise<void>;
  listChanged: () => Promise<void>;
  close: () => Promise<void>;
}

export async function startAgent(
  entry: string,
  dataDir: string,
  {
    viaEnv = false,
    env = {},
    args,
  }: {
    viaEnv?: boolean;
    env?: Record<string, string>;
    /** The whole command line after node, as a client's config gives it (then entry and dataDir are not added). */
    args?: string[];
  } = {},
): Promise<Agent> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: args ?? (viaEnv ? [entry] : [entry, '--data', dataDir]),
    env: { ...getDefaultEnvironment(), ...(viaEnv ? { CUSTODIAN_DATA_DIR: dataDir } : {}), ...env },
    stderr: 'pipe',
  });
  let log = '';
  transport.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const client = new Client({ name: 'vitest-agent', version: '1.2.3' });
  let waiters: (() => void)[] = [];
  client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  });
  await client.connect(transport);
  return {
    client,
    stderr: () => log,
    logged: async (text) => {
      await eventually(() => log.includes(text), { message: `"${text}" on stderr` });
    },
    listChanged: () => new Promise((resolve) => waiters.push(resolve)),
    close: () => client.close(),
  };
}

export const text = (result: unknown) =>
  (result as CallToolResult).content.map((c) => (c.type === 'text' ? c.text : '')).join('');

export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`Timed out waiting for ${what}`)), ms),
    ),
  ]);
}

export const names = (tools: { name: string }[]) => tools.map((t) => t.name);
