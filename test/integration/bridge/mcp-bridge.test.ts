import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOCKED, LOST, NOT_RUNNING } from '../../../electron/bridge/mcp-server';
import { AGENT_TOOLS_FILE } from '../../../shared/agent-tools-file';
import { BUILTIN_TOOLS as BUILTIN_TOOLS_LISTED } from '../../../shared/builtin-tools';
import { resultOf } from '../../support/core-fixture';
import { eventually } from '../../support/eventually';
import { names, startAgent as startBundledAgent, text, within, type Agent } from './agent';
import { ensureBundle } from './bundle';
import { BUILTIN_TOOLS, ECHO_CREDENTIAL, ECHO_SECRET, echoArgs, RealCore } from './real-core';

// The bundled bridge, spawned by the SDK's own stdio client as an MCP client
// would, against a real headless core on a temporary data folder.

let bundle: string;
beforeAll(() => {
  bundle = ensureBundle();
});
const startAgent = (dataDir: string, options: { viaEnv?: boolean } = {}) =>
  startBundledAgent(bundle, dataDir, options);

const ALL_TOOLS = [...BUILTIN_TOOLS, 'fixture_echo'];

let core: RealCore;
let agent: Agent | undefined;
afterEach(async () => {
  await agent?.close();
  agent = undefined;
  await core?.dispose();
});

describe('the MCP bridge against a headless core', () => {
  beforeEach(async () => {
    core = await RealCore.create();
  });

  it('lists the tools and calls list_credentials, introducing the MCP client by name', async () => {
    agent = await startAgent(core.dataDir);
    const { tools } = await agent.client.listTools();
    expect(names(tools)).toEqual(ALL_TOOLS);
    const echo = tools.find((t) => t.name === 'fixture_echo');
    expect(echo?.inputSchema.required).toContain('credential');
    const result = await agent.client.callTool({ name: 'list_credentials', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(JSON.parse(text(result))).toEqual({
      credentials: [
        { name: 'echo-cred', type: 'echo_token', type_name: 'Echo token', description: '' },
      ],
    });
    expect(text(result)).not.toContain(ECHO_SECRET);
    expect(agent.client.getServerCapabilities()?.tools).toEqual({ listChanged: true });
    const [entry] = await core.core.agents.audit.query({ tool: 'list_credentials' });
    // Issue 14: the log names the connection beside the name the client gave.
    expect(entry).toMatchObject({
      client: expect.stringMatching(/^vitest-agent \(connection \d+\)$/),
      outcome: 'succeeded',
    });
  });

  it('calls a plugin tool with its credential and withholds nothing that is not secret', async () => {
    agent = await startAgent(core.dataDir);
    const result = await agent.client.callTool({
      name: 'fixture_echo',
      arguments: echoArgs('hello from the agent'),
    });
    expect(result.isError).toBeFalsy();
    expect(text(result)).toContain('hello from the agent');
    expect(text(result)).not.toContain(ECHO_SECRET);
    const outcomes = (await core.core.agents.audit.query({ tool: 'fixture_echo' })).map(
      (e) => `${e.outcome}/${e.decision ?? '-'}`,
    );
    // The headless --allow-tools list let it through and it ran: one entry, written
    // before the answer (the echo sends nothing out of Custodian).
    expect(outcomes).toEqual(['succeeded/headless']);
  });

  it("saves a credential's last use, which waits to be batched, before the vault locks", async () => {
    agent = await startAgent(core.dataDir);
    await agent.client.callTool({ name: 'fixture_echo', arguments: echoArgs('used') });
    const lastUsed = async () => {
      const listed = await core.core.dispatch('credentials:list', {});
      if (!('result' in listed)) throw new Error('credentials:list failed');
      return listed.result.find((c) => c.name === ECHO_CREDENTIAL)?.lastUsedAt;
    };
    expect(await lastUsed()).toBeNull();
    await core.core.dispatch('vault:lock', {});
    await core.core.dispatch('vault:unlock', {});
    expect(await lastUsed()).toEqual(expect.any(String));
  });

  it('finds the data folder through CUSTODIAN_DATA_DIR', async () => {
    agent = await startAgent(core.dataDir, { viaEnv: true });
    expect(names((await agent.client.listTools()).tools)).toEqual(ALL_TOOLS);
    expect(agent.stderr()).toContain(`data folder ${core.dataDir} (from env)`);
  });

  it('refuses an unknown argument with its usage on stderr and nothing on stdout', () => {
    const run = spawnSync(process.execPath, [bundle, '--bogus'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Unknown argument "--bogus"');
    expect(run.stderr).toContain('Usage: custodian-mcp [--data DIR]');
  });

  it('answers a call to a tool that does not exist with an error result', async () => {
    agent = await startAgent(core.dataDir);
    const result = await agent.client.callTool({ name: 'nope', arguments: {} });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/^No tool named "nope"/);
  });

  it('sends notifications/tools/list_changed when a tool is turned off or on', async () => {
    agent = await startAgent(core.dataDir);
    await agent.client.listTools();
    let changed = agent.listChanged();
    await core.core.agents.setMode('http_request', 'off');
    await within(changed, 5_000, 'list_changed after turning http_request off');
    expect(names((await agent.client.listTools()).tools)).not.toContain('http_request');
    const refused = await agent.client.callTool({
      name: 'http_request',
      arguments: { credential: 'echo-cred', method: 'GET', url: 'https://example.com/' },
    });
    expect(text(refused)).toContain('turned off');
    changed = agent.listChanged();
    await core.core.agents.setMode('http_request', 'ask');
    await within(changed, 5_000, 'list_changed after turning http_request on');
    expect(names((await agent.client.listTools()).tools)).toEqual(ALL_TOOLS);
  });

  it('answers tools/list while locked, tells the agent to unlock for a call, and works after', async () => {
    agent = await startAgent(core.dataDir);
    await agent.client.listTools();
    const changed = agent.listChanged();
    resultOf(await core.core.dispatch('vault:lock', {}));
    await within(changed, 5_000, 'list_changed after the lock');
    // The plugin's tools left the app with the lock, but they are still the
    // person's: the agent keeps them (agent-tools.json) and hears to unlock.
    expect(names((await agent.client.listTools()).tools)).toEqual(ALL_TOOLS);
    expect(await agent.client.callTool({ name: 'fixture_echo', arguments: echoArgs('x') })).toEqual(
      { content: [{ type: 'text', text: LOCKED }], isError: true },
    );
    let result = await agent.client.callTool({ name: 'list_credentials', arguments: {} });
    expect(result).toEqual({ content: [{ type: 'text', text: LOCKED }], isError: true });
    resultOf(await core.core.dispatch('vault:unlock', {}));
    result = await agent.client.callTool({ name: 'list_credentials', arguments: {} });
    expect(text(result)).toContain('echo-cred');
  });

  it('says "open Custodian" while the app is down and works again when it is back', async () => {
    agent = await startAgent(core.dataDir);
    expect(names((await agent.client.listTools()).tools)).toEqual(ALL_TOOLS);
    await core.stop();
    await agent.logged('Lost Custodian');
    let result = await agent.client.callTool({ name: 'list_credentials', arguments: {} });
    expect(result).toEqual({ content: [{ type: 'text', text: NOT_RUNNING }], isError: true });
    // The last list it got, rather than nothing.
    expect(names((await agent.client.listTools()).tools)).toEqual(ALL_TOOLS);
    await core.start();
    result = await agent.client.callTool({ name: 'list_credentials', arguments: {} });
    expect(text(result)).toContain('echo-cred');
  });

  it('says the token is wrong when the token file does not match, and nothing runs', async () => {
    await writeFile(join(core.dataDir, 'run', 'bridge.token'), 'a'.repeat(64));
    agent = await startAgent(core.dataDir);
    // Not reached: the last-known tools, as when the app is closed.
    expect(names((await agent.client.listTools()).tools)).toEqual(ALL_TOOLS);
    const result = await agent.client.callTool({ name: 'list_credentials', arguments: {} });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/^Custodian refused this connection: The token is wrong\./);
    expect(text(result)).toContain(core.dataDir);
    expect(await core.core.agents.audit.query({})).toEqual([]);
  });

  it('refuses a token file that others could read, saying how to fix it', async () => {
    await chmod(join(core.dataDir, 'run', 'bridge.token'), 0o644);
    agent = await startAgent(core.dataDir);
    const result = await agent.client.callTool({ name: 'list_credentials', arguments: {} });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/Custodian refused this connection: .*must be 0600/);
  });

  it('refuses a socket folder that others could enter', async () => {
    await chmod(join(core.dataDir, 'run'), 0o755);
    agent = await startAgent(core.dataDir);
    const result = await agent.client.callTool({ name: 'list_credentials', arguments: {} });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/Custodian refused this connection: .*0700/);
    expect(await core.core.agents.audit.query({})).toEqual([]);
  });
});

describe('an agent that fans out', () => {
  it('gets an answer to each of 200 calls sent at once, none refused, each with its own result', async () => {
    // The per-tool rate limit would rightly stop this agent; here it is the bridge under test.
    core = await RealCore.create({ rateLimit: { limit: { perMinute: 60_000, burst: 1_000 } } });
    agent = await startAgent(core.dataDir);
    const client = agent.client;
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        client.callTool({ name: 'fixture_echo', arguments: echoArgs(`call ${i}`) }),
      ),
    );
    expect(results.filter((r) => r.isError).map(text)).toEqual([]);
    // Answers are matched to their calls, not merely all successful.
    expect(results.every((r, i) => text(r).includes(`"call ${i}"`))).toBe(true);
    const succeeded = await core.core.agents.audit.query({
      tool: 'fixture_echo',
      outcome: 'succeeded',
      limit: 500,
    });
    expect(succeeded).toHaveLength(200);
  });
});

describe('the MCP bridge started before the app', () => {
  it('lists the built-in tools before Custodian ever ran, says "open Custodian", and announces the tools when the app comes', async () => {
    core = await RealCore.create({ start: false });
    await core.core.agents.checkToolsChanged();
    await core.stop();
    // As on a machine where Custodian never ran: no agent-tools.json.
    await rm(join(core.dataDir, AGENT_TOOLS_FILE));
    agent = await startAgent(core.dataDir);
    const { tools } = await agent.client.listTools();
    expect(tools).toEqual(BUILTIN_TOOLS_LISTED);
    for (const name of BUILTIN_TOOLS) {
      const result = await agent.client.callTool({ name, arguments: {} });
      expect(result).toEqual({ content: [{ type: 'text', text: NOT_RUNNING }], isError: true });
    }
    const changed = agent.listChanged();
    await core.start();
    await within(changed, 15_000, 'list_changed after the app started');
    expect(names((await agent.client.listTools()).tools)).toEqual(ALL_TOOLS);
    const result = await agent.client.callTool({ name: 'fixture_echo', arguments: echoArgs('hi') });
    expect(result.isError).toBeFalsy();
    expect(text(result)).toContain('hi');
  });

  it('lists the last-known tools, titles, schemas and annotations included, and every call says "open Custodian"', async () => {
    core = await RealCore.create({ start: false });
    const live = await core.core.agents.enabledTools();
    // Queued after every save so far: agent-tools.json holds the list now.
    await core.core.agents.checkToolsChanged();
    await core.stop();
    agent = await startAgent(core.dataDir);
    const { tools } = await agent.client.listTools();
    expect(names(tools)).toEqual(ALL_TOOLS);
    expect(tools).toEqual(live);
    expect(tools.find((t) => t.name === 'fixture_echo')?.title).toBeTruthy();
    for (const name of ALL_TOOLS) {
      const result = await agent.client.callTool({ name, arguments: echoArgs('x') });
      expect(result).toEqual({ content: [{ type: 'text', text: NOT_RUNNING }], isError: true });
    }
    // Nothing secret is in the file the list came from.
    const file = await readFile(join(core.dataDir, AGENT_TOOLS_FILE), 'utf8');
    expect(file).not.toContain(ECHO_SECRET);
    expect(file).not.toContain(ECHO_CREDENTIAL);
  });

  it('answers the built-ins when agent-tools.json is damaged, and says so on stderr', async () => {
    core = await RealCore.create({ start: false });
    await core.core.agents.checkToolsChanged();
    await core.stop();
    await writeFile(join(core.dataDir, AGENT_TOOLS_FILE), '{"version":1,"tools":[{"name":');
    agent = await startAgent(core.dataDir);
    expect((await agent.client.listTools()).tools).toEqual(BUILTIN_TOOLS_LISTED);
    await agent.logged(`Ignoring ${join(core.dataDir, AGENT_TOOLS_FILE)}: it is not JSON.`);
  });
});

describe('the MCP bridge with a person to ask', () => {
  beforeEach(async () => {
    core = await RealCore.create({ approvals: { kind: 'window' } });
  });

  const waitForApproval = () =>
    eventually(
      () => {
        const [first] = core.core.agents.pending();
        if (!first) throw new Error('nothing is waiting for the person');
        return first;
      },
      { timeoutMs: 10_000, message: 'the approval to be asked' },
    );

  it('waits for the person, and runs the call once they allow it', async () => {
    agent = await startAgent(core.dataDir);
    const call = agent.client.callTool({ name: 'fixture_echo', arguments: echoArgs('sign me') });
    const approval = await waitForApproval();
    expect(approval).toMatchObject({
      client: 'vitest-agent',
      tool: 'fixture_echo',
      credential: 'echo-cred',
    });
    expect(approval?.summary).toContain('message: sign me');
    expect(core.core.agents.answer(approval?.id ?? '', 'once')).toBe(true);
    expect(text(await call)).toContain('sign me');
  });

  it('tells the agent the person denied it', async () => {
    agent = await startAgent(core.dataDir);
    const call = agent.client.callTool({ name: 'fixture_echo', arguments: echoArgs('no') });
    core.core.agents.answer((await waitForApproval())?.id ?? '', 'deny');
    const result = await call;
    expect(result.isError).toBe(true);
    expect(text(result)).toBe('The person denied this fixture_echo call in Custodian.');
  });

  it('cancels a waiting call when the vault is locked', async () => {
    agent = await startAgent(core.dataDir);
    const call = agent.client.callTool({ name: 'fixture_echo', arguments: echoArgs('x') });
    await waitForApproval();
    resultOf(await core.core.dispatch('vault:lock', {}));
    expect(text(await call)).toMatch(/cancelled because Custodian was locked/);
    expect(core.core.agents.pending()).toEqual([]);
  });

  it('withdraws the approval and logs cancelled when the MCP client cancels the call', async () => {
    agent = await startAgent(core.dataDir);
    const controller = new AbortController();
    // The SDK's signal option sends notifications/cancelled when aborted.
    const call = agent.client.callTool(
      { name: 'fixture_echo', arguments: echoArgs('withdraw me') },
      undefined,
      { signal: controller.signal },
    );
    const approval = await waitForApproval();
    controller.abort();
    await expect(call).rejects.toThrow();
    await within(
      (async () => {
        while (core.core.agents.pending().length > 0) await new Promise((r) => setTimeout(r, 10));
      })(),
      10_000,
      'the approval to leave the window',
    );
    expect(core.core.agents.answer(approval?.id ?? '', 'once')).toBe(false);
    const entries = resultOf(await core.core.dispatch('audit:query', {})) as {
      tool: string;
      outcome: string;
    }[];
    expect(entries.filter((e) => e.tool === 'fixture_echo').map((e) => e.outcome)).toEqual([
      'cancelled',
    ]);
  });

  it('reports a call cut off by the app going away', async () => {
    agent = await startAgent(core.dataDir);
    const call = agent.client.callTool({ name: 'fixture_echo', arguments: echoArgs('x') });
    await waitForApproval();
    await core.server?.close();
    const result = await call;
    expect(result).toEqual({ content: [{ type: 'text', text: LOST }], isError: true });
  });
});

describe('http_request through the bridge', () => {
  const KEY = 'sk-test-SECRET-5150-abcdef';
  let server: Server;
  let port: number;
  const seen: { path: string; auth: string | undefined }[] = [];

  beforeEach(async () => {
    seen.length = 0;
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      seen.push({ path, auth: req.headers['x-api-key'] as string | undefined });
      if (path === '/echo-key') return res.end(`you sent ${String(req.headers['x-api-key'])}`);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ repos: ['custodian'] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    core = await RealCore.create();
    resultOf(
      await core.core.dispatch('credentials:create', {
        type: 'api_key',
        name: 'local-api',
        // Loopback over plain http only because this credential names that exact host.
        fields: {
          key: KEY,
          header_name: 'X-Api-Key',
          header_prefix: '',
          allowed_hosts: `http://127.0.0.1:${port}`,
        },
      }),
    );
    await core.core.agents.setMode('http_request', 'allow');
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('injects the key for the allowed host and never shows it to the agent', async () => {
    agent = await startAgent(core.dataDir);
    const ok = await agent.client.callTool({
      name: 'http_request',
      arguments: { credential: 'local-api', method: 'GET', url: `http://127.0.0.1:${port}/repos` },
    });
    expect(ok.isError).toBeFalsy();
    expect(text(ok)).toContain('custodian');
    expect(seen).toEqual([{ path: '/repos', auth: KEY }]);

    const echoed = await agent.client.callTool({
      name: 'http_request',
      arguments: {
        credential: 'local-api',
        method: 'GET',
        url: `http://127.0.0.1:${port}/echo-key`,
      },
    });
    expect(echoed.isError).toBe(true);
    expect(text(echoed)).toMatch(/withheld/);
    expect(text(echoed)).not.toContain(KEY);
    expect(agent.stderr()).not.toContain(KEY);
  });

  it('refuses a host the credential does not allow, sending nothing', async () => {
    agent = await startAgent(core.dataDir);
    const result = await agent.client.callTool({
      name: 'http_request',
      arguments: { credential: 'local-api', method: 'GET', url: `http://localhost:${port}/repos` },
    });
    expect(result.isError).toBe(true);
    expect(seen).toEqual([]);
  });
});
