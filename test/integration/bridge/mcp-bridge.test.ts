import { spawnSync } from 'node:child_process';
import { writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  getDefaultEnvironment,
  StdioClientTransport,
} from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  ToolListChangedNotificationSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOCKED, NOT_RUNNING } from '../../../electron/bridge/mcp-server';
import { ensureBundle } from './bundle';
import { ECHO_TOOL, FakeCore, SLOW_TOOL } from './fake-core';

// The bundled bridge, spawned by the SDK's own stdio client as an MCP client
// would, against a real socket server standing in for the core.

let bundle: string;
beforeAll(() => {
  bundle = ensureBundle();
});

interface Agent {
  client: Client;
  stderr: () => string;
  /** Until the bridge logs a line containing `text`. */
  logged: (text: string) => Promise<void>;
  listChanged: () => Promise<void>;
  close: () => Promise<void>;
}

async function startAgent(dataDir: string, { viaEnv = false } = {}): Promise<Agent> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: viaEnv ? [bundle] : [bundle, '--data', dataDir],
    ...(viaEnv ? { env: { ...getDefaultEnvironment(), CUSTODIAN_DATA_DIR: dataDir } } : {}),
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
    logged: (text) =>
      within(
        (async () => {
          while (!log.includes(text)) await new Promise((r) => setTimeout(r, 10));
        })(),
        5_000,
        `"${text}" on stderr`,
      ),
    listChanged: () => new Promise((resolve) => waiters.push(resolve)),
    close: () => client.close(),
  };
}

const text = (result: unknown) =>
  (result as CallToolResult).content.map((c) => (c.type === 'text' ? c.text : '')).join('');

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`Timed out waiting for ${what}`)), ms),
    ),
  ]);
}

let core: FakeCore;
let agent: Agent | undefined;
beforeEach(async () => {
  core = await FakeCore.create();
});
afterEach(async () => {
  await agent?.close();
  agent = undefined;
  await core.dispose();
});

describe('the MCP bridge', () => {
  it('lists the tools and calls one, introducing the MCP client by name', async () => {
    await core.start();
    agent = await startAgent(core.dataDir);
    const { tools } = await agent.client.listTools();
    expect(tools).toEqual([ECHO_TOOL, SLOW_TOOL]);
    const result = await agent.client.callTool({ name: 'echo', arguments: { text: 'hi' } });
    expect(result).toEqual({ content: [{ type: 'text', text: 'echo: hi' }] });
    expect(core.calls).toEqual([
      {
        name: 'echo',
        arguments: { text: 'hi' },
        client: { name: 'vitest-agent', version: '1.2.3' },
      },
    ]);
    expect(agent.client.getServerCapabilities()?.tools).toEqual({ listChanged: true });
  });

  it('finds the data folder through CUSTODIAN_DATA_DIR', async () => {
    await core.start();
    agent = await startAgent(core.dataDir, { viaEnv: true });
    expect((await agent.client.listTools()).tools).toEqual([ECHO_TOOL, SLOW_TOOL]);
    expect(agent.stderr()).toContain(`data folder ${core.dataDir} (from env)`);
  });

  it('refuses an unknown argument with its usage on stderr and nothing on stdout', () => {
    const run = spawnSync(process.execPath, [bundle, '--bogus'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Unknown argument "--bogus"');
    expect(run.stderr).toContain('Usage: custodian-mcp [--data DIR]');
  });

  it('passes a tool error through as an error result', async () => {
    await core.start();
    agent = await startAgent(core.dataDir);
    const result = await agent.client.callTool({ name: 'nope', arguments: {} });
    expect(result.isError).toBe(true);
    expect(text(result)).toBe('No tool named nope.');
  });

  it('turns tools:changed into notifications/tools/list_changed', async () => {
    await core.start();
    agent = await startAgent(core.dataDir);
    await agent.client.listTools();
    const changed = agent.listChanged();
    core.setTools([ECHO_TOOL]);
    await within(changed, 5_000, 'list_changed');
    expect((await agent.client.listTools()).tools).toEqual([ECHO_TOOL]);
  });

  it('answers tools/list while locked, and tells the agent to unlock for a call', async () => {
    await core.start();
    agent = await startAgent(core.dataDir);
    await agent.client.listTools();
    // Announced: the bridge knows before it asks.
    core.setVault('locked');
    expect((await agent.client.listTools()).tools).toEqual([ECHO_TOOL, SLOW_TOOL]);
    let result = await agent.client.callTool({ name: 'echo', arguments: { text: 'x' } });
    expect(result).toEqual({ content: [{ type: 'text', text: LOCKED }], isError: true });
    core.setVault('unlocked');
    result = await agent.client.callTool({ name: 'echo', arguments: { text: 'y' } });
    expect(text(result)).toBe('echo: y');
    // Not announced: the core's own refusal says the same.
    core.setVault('locked', { announce: false });
    result = await agent.client.callTool({ name: 'echo', arguments: { text: 'z' } });
    expect(result).toEqual({ content: [{ type: 'text', text: LOCKED }], isError: true });
  });

  it('says "open Custodian" while the app is down and works again when it is back', async () => {
    await core.start();
    agent = await startAgent(core.dataDir);
    expect((await agent.client.listTools()).tools).toHaveLength(2);
    await core.stop();
    // A call racing the app's exit may have reached it; that case has its own message.
    await agent.logged('Lost Custodian');
    let result = await agent.client.callTool({ name: 'echo', arguments: { text: 'a' } });
    expect(result).toEqual({ content: [{ type: 'text', text: NOT_RUNNING }], isError: true });
    // The last list it got, rather than nothing.
    expect((await agent.client.listTools()).tools).toEqual([ECHO_TOOL, SLOW_TOOL]);
    await core.start();
    result = await agent.client.callTool({ name: 'echo', arguments: { text: 'b' } });
    expect(text(result)).toBe('echo: b');
  });

  it('starts before the app, answers an empty list, and announces the tools when it comes', async () => {
    agent = await startAgent(core.dataDir);
    expect((await agent.client.listTools()).tools).toEqual([]);
    const result = await agent.client.callTool({ name: 'echo', arguments: { text: 'a' } });
    expect(result).toEqual({ content: [{ type: 'text', text: NOT_RUNNING }], isError: true });
    const changed = agent.listChanged();
    await core.start();
    await within(changed, 15_000, 'list_changed after the app started');
    expect((await agent.client.listTools()).tools).toEqual([ECHO_TOOL, SLOW_TOOL]);
  });

  it('says "the token is wrong" when the token file does not match', async () => {
    await core.start();
    await writeFile(join(core.dataDir, 'run', 'bridge.token'), 'a'.repeat(64));
    agent = await startAgent(core.dataDir);
    expect((await agent.client.listTools()).tools).toEqual([]);
    const result = await agent.client.callTool({ name: 'echo', arguments: { text: 'a' } });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/^Custodian refused this connection: The token is wrong\./);
    expect(text(result)).toContain(core.dataDir);
    expect(core.calls).toEqual([]);
  });

  it('refuses a token file that others could read, saying how to fix it', async () => {
    await core.start();
    await chmod(join(core.dataDir, 'run', 'bridge.token'), 0o644);
    agent = await startAgent(core.dataDir);
    const result = await agent.client.callTool({ name: 'echo', arguments: { text: 'a' } });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/Custodian refused this connection: .*must be 0600/);
  });

  it('reports a call cut off by the app going away', async () => {
    await core.start();
    agent = await startAgent(core.dataDir);
    const call = agent.client.callTool({ name: 'slow', arguments: {} });
    await within(
      (async () => {
        while (core.heldCalls === 0) await new Promise((r) => setTimeout(r, 10));
      })(),
      5_000,
      'the slow call to arrive',
    );
    await core.server?.close();
    const result = await call;
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/lost during the call.*may or may not have run/);
  });
});
