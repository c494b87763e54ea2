import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { JsonSchemaType } from '@modelcontextprotocol/sdk/validation';
import {
  CallToolResultSchema,
  type CallToolResult,
  type Progress,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MCP_PROTOCOL_VERSION, WAITING_FOR_APPROVAL } from '../../../electron/bridge/mcp-server';
import { BUILTIN_TOOLS } from '../../../shared/builtin-tools';
import { resultOf } from '../../support/core-fixture';
import { eventually } from '../../support/eventually';
import { REPO_ROOT } from '../../support/fresh-bundle';
import { editedFixture } from '../../support/plugin-fixtures';
import { startAgent, text, type Agent } from './agent';
import { ensureBundle } from './bundle';
import { echoArgs, RealCore } from './real-core';

// What an agent sees through the bundled bridge (issue 18): titles and
// annotations on every tool, output schemas with structuredContent that
// matches them, a plugin's output checked against its manifest's schema,
// progress while a person decides, and the protocol version it agrees to.

let bundle: string;
beforeAll(() => {
  bundle = ensureBundle();
});

let core: RealCore | undefined;
let agent: Agent | undefined;
afterEach(async () => {
  await agent?.close();
  agent = undefined;
  await core?.dispose();
  core = undefined;
});

const SHAPED_CREDENTIAL = 'shaped-cred';

/**
 * The echo fixture as another plugin, "shaped": granted one http host, with
 * two tools on its echo action whose manifest declares a title, hints and an
 * output_schema; the second's schema says "action" is an integer, which the
 * echo's data never is.
 */
function shapedPlugin(): Promise<string> {
  return editedFixture('echo', (toml) => {
    const renamed = toml
      .replace('name = "echo"\n', 'name = "shaped"\n')
      .replaceAll('echo_token', 'shaped_token')
      .replace('Echo token', 'Shaped token')
      .replace(/\[\[mcp_tools\]\][\s\S]*$/, '');
    const outputSchema = (actionType: string) =>
      `{ type = "object", properties = { action = { type = "${actionType}" }, parameters = { type = "object" }, credential_fields = { type = "array", items = { type = "string" } } }, required = ["action", "parameters", "credential_fields"] }`;
    return `${renamed.replace('[[credential_types]]', '[capabilities]\nhttp = ["api.example.com"]\n\n[[credential_types]]')}
[[mcp_tools]]
name = "shaped_echo"
action = "echo"
title = "Shaped echo"
description = "Echo, with data of a declared shape."
read_only = true
destructive = false
idempotent = true
output_schema = ${outputSchema('string')}

[[mcp_tools]]
name = "shaped_broken"
action = "echo"
description = "Echo whose declared shape its data breaks."
output_schema = ${outputSchema('integer')}
`;
  });
}

async function coreWithShaped(approvals?: { kind: 'window' }): Promise<RealCore> {
  const real = await RealCore.create({
    plugins: [await shapedPlugin()],
    approvals: approvals ?? {
      kind: 'headless',
      allowTools: ['fixture_echo', 'shaped_echo', 'shaped_broken'],
    },
  });
  resultOf(
    await real.core.dispatch('credentials:create', {
      type: 'shaped_token',
      name: SHAPED_CREDENTIAL,
      fields: { token: 'shaped-SECRET-9' },
    }),
  );
  return real;
}

/** Checks data against a tool's outputSchema with the SDK's own validator. */
function matches(schema: Tool['outputSchema'], data: unknown): string | undefined {
  const result = new AjvJsonSchemaValidator().getValidator(schema as JsonSchemaType)(data);
  return result.valid ? undefined : result.errorMessage;
}

describe('tools as an agent lists them', () => {
  it('gives every tool a title and annotations; built-ins and plugin tools declare output schemas', async () => {
    core = await coreWithShaped();
    agent = await startAgent(bundle, core.dataDir);
    const { tools } = await agent.client.listTools();
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    for (const tool of tools) {
      expect(tool.title, tool.name).toBeTruthy();
      expect(tool.annotations, tool.name).toBeDefined();
    }
    // The built-ins as shared/builtin-tools.ts defines them, word for word.
    for (const builtin of BUILTIN_TOOLS) expect(byName.get(builtin.name)).toEqual(builtin);
    expect(byName.get('list_credentials')?.annotations).toMatchObject({ readOnlyHint: true });
    expect(byName.get('credential_info')?.annotations).toMatchObject({ readOnlyHint: true });
    expect(byName.get('http_request')?.annotations).toMatchObject({
      readOnlyHint: false,
      openWorldHint: true,
    });
    // A plugin's hints come from its manifest; the open world from its granted http hosts.
    expect(byName.get('shaped_echo')).toMatchObject({
      title: 'Shaped echo',
      annotations: {
        title: 'Shaped echo',
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: true,
      },
      outputSchema: { type: 'object', required: ['action', 'parameters', 'credential_fields'] },
    });
    // echo holds no http capability, and its manifest gives no title.
    expect(byName.get('fixture_echo')).toMatchObject({
      title: 'Fixture echo',
      annotations: { readOnlyHint: false, openWorldHint: false },
    });
    expect(byName.get('fixture_echo')?.outputSchema).toBeUndefined();
  });

  it('answers built-ins with structuredContent that matches their outputSchema, mirrored as text', async () => {
    core = await coreWithShaped();
    agent = await startAgent(bundle, core.dataDir);
    const { tools } = await agent.client.listTools();
    const schema = (name: string) => tools.find((tool) => tool.name === name)?.outputSchema;
    for (const [name, args] of [
      ['list_credentials', {}],
      ['credential_info', { credential: SHAPED_CREDENTIAL }],
    ] as const) {
      const result = (await agent.client.callTool({ name, arguments: args })) as CallToolResult;
      expect(result.isError, text(result)).toBeFalsy();
      expect(result.structuredContent).toBeDefined();
      expect(matches(schema(name), result.structuredContent)).toBeUndefined();
      expect(JSON.parse(text(result))).toEqual(result.structuredContent);
    }
    // A schema that could fail: the check above is a real one.
    expect(matches(schema('credential_info'), { name: 1 })).toMatch(/data\/name must be string/);
  });

  it("passes a plugin's data that matches its output_schema as structuredContent", async () => {
    core = await coreWithShaped();
    agent = await startAgent(bundle, core.dataDir);
    const { tools } = await agent.client.listTools();
    const result = (await agent.client.callTool({
      name: 'shaped_echo',
      arguments: { credential: SHAPED_CREDENTIAL, message: 'shaped hello' },
    })) as CallToolResult;
    expect(result.isError, text(result)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      action: 'echo',
      parameters: { message: 'shaped hello' },
    });
    const schema = tools.find((tool) => tool.name === 'shaped_echo')?.outputSchema;
    expect(matches(schema, result.structuredContent)).toBeUndefined();
    expect(JSON.parse(text(result))).toEqual(result.structuredContent);
  });

  it('refuses a plugin output that breaks its output_schema, naming the field', async () => {
    core = await coreWithShaped();
    agent = await startAgent(bundle, core.dataDir);
    await agent.client.listTools();
    const result = (await agent.client.callTool({
      name: 'shaped_broken',
      arguments: { credential: SHAPED_CREDENTIAL, message: 'not an integer' },
    })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(text(result)).toBe(
      "shaped_broken: the plugin's output does not match its output_schema (data/action must be integer), so Custodian did not pass it on.",
    );
    // Nothing of the data went through.
    expect(text(result)).not.toContain('not an integer');
    const [entry] = await core.core.agents.audit.query({ tool: 'shaped_broken' });
    expect(entry).toMatchObject({ outcome: 'failed' });
  });
});

describe('progress while a person decides', () => {
  it('keeps a client that resets its timeout on progress waiting, with "waiting for approval in Custodian"', async () => {
    core = await coreWithShaped({ kind: 'window' });
    // A beat every 100 ms stands for one every 5 s: 15 beats are 75 s of a
    // person deciding, longer than the SDK's default 60 s request timeout.
    agent = await startAgent(bundle, core.dataDir, {
      env: { CUSTODIAN_PROGRESS_INTERVAL_MS: '100' },
    });
    // Connected first: the time to reach the app is no part of the wait.
    await agent.client.listTools();
    const beats: Progress[] = [];
    const call = agent.client.callTool(
      { name: 'fixture_echo', arguments: echoArgs('approve me') },
      CallToolResultSchema,
      {
        onprogress: (progress) => beats.push(progress),
        resetTimeoutOnProgress: true,
        // Ten beats: without them the call would time out long before the person answers.
        timeout: 1_000,
      },
    );
    const approval = await eventually(() => {
      const [first] = core?.core.agents.pending() ?? [];
      if (!first) throw new Error('nothing is waiting for the person');
      return first;
    });
    await eventually(() => beats.length >= 15, { message: '15 progress notifications' });
    expect(core.core.agents.answer(approval.id, 'once')).toBe(true);
    const result = await call;
    expect(result.isError).toBeFalsy();
    expect(text(result)).toContain('approve me');
    expect(beats.every((beat) => beat.message === WAITING_FOR_APPROVAL)).toBe(true);
    // Rising, one by one.
    expect(beats.slice(0, 15).map((beat) => beat.progress)).toEqual(
      Array.from({ length: 15 }, (_, i) => i + 1),
    );
  });

  it('sends no progress for a call nobody has to approve', async () => {
    core = await coreWithShaped();
    agent = await startAgent(bundle, core.dataDir, {
      env: { CUSTODIAN_PROGRESS_INTERVAL_MS: '100' },
    });
    const beats: Progress[] = [];
    const result = await agent.client.callTool(
      { name: 'list_credentials', arguments: {} },
      CallToolResultSchema,
      { onprogress: (progress) => beats.push(progress) },
    );
    expect(result.isError).toBeFalsy();
    expect(beats).toEqual([]);
  });
});

describe('protocol', () => {
  /** One initialize, written by hand, and the bridge's answer. */
  async function initialize(protocolVersion: string): Promise<{ protocolVersion: string }> {
    const child = spawn(process.execPath, [bundle, '--data', '/nonexistent-custodian'], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    try {
      const lines = createInterface({ input: child.stdout });
      const answer = new Promise<string>((resolve) => lines.once('line', resolve));
      child.stdin.write(
        `${JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion, capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
        })}\n`,
      );
      return (JSON.parse(await answer) as { result: { protocolVersion: string } }).result;
    } finally {
      child.kill();
    }
  }

  it('agrees to the newest version its SDK speaks, and offers it to a client that asks for a newer one', async () => {
    expect(MCP_PROTOCOL_VERSION).toBe('2025-11-25');
    expect((await initialize(MCP_PROTOCOL_VERSION)).protocolVersion).toBe(MCP_PROTOCOL_VERSION);
    expect((await initialize('2099-01-01')).protocolVersion).toBe(MCP_PROTOCOL_VERSION);
    expect((await initialize('2025-06-18')).protocolVersion).toBe('2025-06-18');
  });

  it('names that version in the README, with how long a call may wait', async () => {
    // Prettier wraps the README's lines: compare as one line.
    const readme = (await readFile(join(REPO_ROOT, 'README.md'), 'utf8')).replace(/\s+/g, ' ');
    expect(readme).toContain(`MCP protocol version ${MCP_PROTOCOL_VERSION}`);
    expect(readme).toContain(WAITING_FOR_APPROVAL);
    expect(readme).toContain('A call may wait up to 60 s for the person');
  });
});
