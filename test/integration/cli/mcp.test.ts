import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, stopServers, makeSandbox, serve, type Sandbox, type Server } from './cli-harness';
import { ensureCliBundle } from './bundle';

// `custodian mcp` is the MCP bridge, end to end through the CLI alone: a
// vault made by `init`, served by `serve --allow-tools`, a credential added
// from a file, and an agent whose http_request reaches a local server with
// the key that the agent never sees. Without --allow-tools nobody can
// approve the ask-tool headless, so the request never leaves.

const KEY = 'sk-cli-mcp-secret-3306';

let sandbox: Sandbox;
let server: Server | undefined;
let http: HttpServer;
let origin: string;
/** What the local API saw; whether the auth header was right, never the header itself. */
const seen: { path: string; authorized: boolean }[] = [];
const agents: Client[] = [];

beforeAll(async () => {
  sandbox = await makeSandbox();
  http = createServer((request, response) => {
    seen.push({
      path: request.url ?? '',
      authorized: request.headers.authorization === `Bearer ${KEY}`,
    });
    response.setHeader('content-type', 'text/plain');
    response.end('hello from the local API');
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  expect((await cli(sandbox, ['init', '--recovery-file', join(sandbox.dataDir, 'rec')])).code).toBe(
    0,
  );
});
afterAll(async () => {
  for (const agent of agents) await agent.close().catch(() => {});
  await stopServers();
  await new Promise((resolve) => http?.close(resolve));
  await sandbox?.cleanup();
});

async function startAgent(): Promise<{ client: Client; stderr: () => string; errors: Error[] }> {
  // Only --data says where: the variable is gone, as for a client configured with the flag.
  const env = Object.fromEntries(
    Object.entries(sandbox.env).filter(
      (entry): entry is [string, string] =>
        entry[0] !== 'CUSTODIAN_DATA_DIR' && entry[1] !== undefined,
    ),
  );
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [ensureCliBundle(), '--data', sandbox.dataDir, 'mcp'],
    env,
    stderr: 'pipe',
  });
  let log = '';
  transport.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const client = new Client({ name: 'cli-test-agent', version: '1.0.0' });
  const errors: Error[] = [];
  // A line on stdout that is not the protocol surfaces here.
  client.onerror = (error) => errors.push(error);
  await client.connect(transport);
  agents.push(client);
  return { client, stderr: () => log, errors };
}

const text = (result: unknown) =>
  (result as CallToolResult).content.map((c) => (c.type === 'text' ? c.text : '')).join('');

const request = (path: string) => ({
  name: 'http_request',
  arguments: { credential: 'local-api', method: 'GET', url: `${origin}${path}` },
});

describe('custodian mcp against custodian serve --allow-tools http_request', () => {
  beforeAll(async () => {
    server = await serve(sandbox, ['--admin', '--allow-tools', 'http_request']);
    const keyFile = join(sandbox.dataDir, 'key.txt');
    await writeFile(keyFile, `${KEY}\n`, { mode: 0o600 });
    const added = await cli(sandbox, [
      'credential',
      'add',
      '--type',
      'api_key',
      '--name',
      'local-api',
      '--field',
      `key=@${keyFile}`,
      '--field',
      `allowed_hosts=${origin}`,
    ]);
    expect(added.code).toBe(0);
  });
  afterAll(async () => {
    server?.signal('SIGTERM');
    expect(await server?.exited).toBe(0);
  });

  it('says where it found the data folder and lists the tools', async () => {
    const agent = await startAgent();
    expect(agent.stderr()).toContain(`data folder ${sandbox.dataDir} (from flag)`);
    const { tools } = await agent.client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      'list_credentials',
      'credential_info',
      'http_request',
    ]);
    const listed = await agent.client.callTool({ name: 'list_credentials', arguments: {} });
    expect(text(listed)).toContain('local-api');
    expect(agent.errors).toEqual([]);
  });

  it('lets http_request through headless and sends the key read from the file', async () => {
    const agent = await startAgent();
    const result = await agent.client.callTool(request('/allowed'));
    expect(result.isError).toBeFalsy();
    expect(text(result)).toContain('hello from the local API');
    expect(text(result).includes(KEY)).toBe(false);
    expect(seen).toEqual([{ path: '/allowed', authorized: true }]);
    expect(agent.errors).toEqual([]);
  });
});

describe('custodian mcp against custodian serve without --allow-tools', () => {
  beforeAll(async () => {
    server = await serve(sandbox);
  });
  afterAll(async () => {
    server?.signal('SIGTERM');
    expect(await server?.exited).toBe(0);
  });

  it('refuses the ask-tool, as nobody can approve without a window', async () => {
    const agent = await startAgent();
    const result = await agent.client.callTool(request('/refused'));
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('start it with serve --allow-tools http_request');
    expect(seen.map((s) => s.path)).not.toContain('/refused');
  });
});
