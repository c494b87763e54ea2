import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApprovalMode } from '../../../electron/core/agents/agent-service';
import type { Core } from '../../../electron/core/create-core';
import { createHeadlessCore } from '../../../electron/headless/headless-core';
import { makeTempDir, resultOf, TEST_KDF_COST } from '../../support/core-fixture';
import { eventually } from '../../support/eventually';
import { fixtureDir } from '../../support/plugin-fixtures';

// The agent service on a real core: what each decision writes to the audit
// log, the rate limit, what the window sees over IPC, and Connect to Claude
// Desktop against a temporary home folder.

const SECRET = 'echo-SECRET-value-31337';
let core: Core | undefined;
let dataDir: string;
let service: string;

async function start(
  options: { approvals?: ApprovalMode; perMinute?: number; home?: string } = {},
): Promise<Core> {
  dataDir = await makeTempDir();
  service = `custodian-test-${randomUUID()}`;
  core = await createHeadlessCore({
    dataDir,
    keychainService: service,
    kdfCost: TEST_KDF_COST,
    approvals: options.approvals,
    ...(options.perMinute
      ? { rateLimit: { limit: { perMinute: options.perMinute, burst: options.perMinute } } }
      : {}),
    ...(options.home ? { claude: { platform: 'linux', env: {}, homedir: options.home } } : {}),
  });
  resultOf(await core.dispatch('vault:create', {}));
  await core.plugins.installFromDirectory(fixtureDir('echo'), { source: 'test' });
  resultOf(
    await core.dispatch('credentials:create', {
      type: 'echo_token',
      name: 'echo-cred',
      fields: { token: SECRET },
    }),
  );
  return core;
}

afterEach(async () => {
  await core?.close();
  core = undefined;
  for (const { account } of await keytar.findCredentials(service))
    await keytar.deletePassword(service, account);
  await rm(dataDir, { recursive: true, force: true });
});

/** Until a call waits for the person's answer. */
const asked = (c: Core) =>
  eventually(() => c.agents.pending().length > 0, { message: 'the call to ask the person' });
const textOf = (result: { content: { text: string }[] }) => result.content[0]?.text ?? '';
const trail = async (c: Core) =>
  (await c.agents.audit.query({})).map(
    (e) =>
      `${e.tool} ${e.outcome}${e.decision ? `/${e.decision}` : ''}${e.detail ? ` (${e.detail})` : ''}`,
  );

describe('the agent service', () => {
  it('records each decision and outcome, never a secret, in a chain that verifies', async () => {
    const c = await start({
      approvals: { kind: 'headless', allowTools: ['fixture_echo', 'http_request'] },
    });
    await c.agents.call('cli', 'list_credentials', {});
    await c.agents.call('cli', 'fixture_echo', { credential: 'echo-cred', message: SECRET });
    await c.agents.call('cli', 'http_request', {
      credential: 'echo-cred',
      method: 'GET',
      url: 'https://example.com/',
    });
    await c.agents.setMode('credential_info', 'off');
    await c.agents.call('cli', 'credential_info', { credential: 'echo-cred' });
    await c.agents.call('cli', 'no_such_tool', {});
    expect((await trail(c)).reverse()).toEqual([
      // Allowed, and nothing leaves Custodian: one entry for the decision and the outcome.
      'list_credentials succeeded/policy',
      // The echo repeated the stored secret: withheld, and the reason names no value.
      'fixture_echo failed/headless (Plugin "echo" returned a secret of credential "echo-cred"; the output was withheld)',
      // It reaches the network: the decision is on disk before it runs, then its outcome.
      'http_request allowed/headless',
      expect.stringMatching(/^http_request failed \(Credential "echo-cred" is of type echo_token/),
      'credential_info denied/policy (the tool is off)',
      'no_such_tool failed (no such tool)',
    ]);
    const files = await readFile(join(dataDir, 'audit', 'audit.jsonl'), 'utf8');
    expect(files).not.toContain(SECRET);
    expect(await c.agents.audit.verify()).toMatchObject({ ok: true, entries: 6 });
  });

  it('hashes the exact payload the person saw, as the audit entry records it', async () => {
    const c = await start({ approvals: { kind: 'window' } });
    const call = c.agents.call('claude-ai', 'fixture_echo', {
      credential: 'echo-cred',
      message: 'line one\nline two\u202E',
    });
    await asked(c);
    const [approval] = resultOf(await c.dispatch('approvals:list', {}));
    // The bidi override is shown, not obeyed or hidden.
    expect(approval?.summary).toContain('message:\nline one\nline two⟨U+202E⟩');
    expect(
      resultOf(await c.dispatch('approvals:answer', { id: approval?.id ?? '', decision: 'once' })),
    ).toEqual({ answered: true });
    expect(textOf(await call)).toContain('line two');
    const [, decided] = await c.agents.audit.query({ tool: 'fixture_echo' });
    expect(decided).toMatchObject({
      outcome: 'approved',
      decision: 'person',
      payloadHash: approval?.payloadHash,
    });
    // Settled: a second answer changes nothing.
    expect(
      resultOf(await c.dispatch('approvals:answer', { id: approval?.id ?? '', decision: 'deny' })),
    ).toEqual({ answered: false });
  });

  it('lets "allow for 10 minutes" through without asking again, until the vault is locked', async () => {
    const c = await start({ approvals: { kind: 'window' } });
    const args = { credential: 'echo-cred', message: 'again' };
    const first = c.agents.call('claude-ai', 'fixture_echo', args);
    await asked(c);
    c.agents.answer(c.agents.pending()[0]?.id ?? '', 'ten_minutes');
    await first;
    expect(textOf(await c.agents.call('claude-ai', 'fixture_echo', args))).toContain('again');
    // The person's answer has its own entry; the grant's call, sending nothing anywhere, one.
    expect((await trail(c)).slice(0, 3)).toEqual([
      'fixture_echo succeeded/standing_grant',
      'fixture_echo succeeded',
      'fixture_echo approved/person (allowed for 10 minutes)',
    ]);
    // Another client is not covered by the grant.
    const other = c.agents.call('other-agent', 'fixture_echo', args);
    await asked(c);
    resultOf(await c.dispatch('vault:lock', {}));
    expect(textOf(await other)).toMatch(/cancelled because Custodian was locked/);
    resultOf(await c.dispatch('vault:unlock', {}));
    const after = c.agents.call('claude-ai', 'fixture_echo', args);
    await asked(c);
    c.agents.answer(c.agents.pending()[0]?.id ?? '', 'deny');
    expect(textOf(await after)).toMatch(/denied/);
  });

  it('stops a runaway agent with a clear error and records it', async () => {
    const c = await start({ perMinute: 3 });
    for (let i = 0; i < 3; i++)
      expect((await c.agents.call('loop', 'list_credentials', {})).isError).toBeFalsy();
    const stopped = await c.agents.call('loop', 'list_credentials', {});
    expect(stopped.isError).toBe(true);
    expect(textOf(stopped)).toMatch(/list_credentials was called more than 3 times a minute; wait/);
    expect((await trail(c))[0]).toBe('list_credentials rate_limited');
  });

  it('refuses calls while locked with vault_locked and writes nothing', async () => {
    const c = await start();
    resultOf(await c.dispatch('vault:lock', {}));
    await expect(c.agents.call('x', 'list_credentials', {})).rejects.toMatchObject({
      code: 'vault_locked',
    });
    expect(await c.agents.audit.query({})).toEqual([]);
  });

  it('shows the window every tool with its mode, and a change persists across a restart', async () => {
    const c = await start();
    const tools = resultOf(await c.dispatch('tools:list', {}));
    expect(tools.map((t) => `${t.name}:${t.source}:${t.mode}`)).toEqual([
      'list_credentials:built-in:allow',
      'credential_info:built-in:allow',
      'http_request:built-in:ask',
      'fixture_echo:echo:ask',
    ]);
    const changed = resultOf(
      await c.dispatch('tools:setMode', { name: 'http_request', mode: 'off' }),
    );
    expect(changed).toMatchObject({ mode: 'off', defaultMode: 'ask', isDefault: false });
    const unknown = await c.dispatch('tools:setMode', { name: 'nope', mode: 'off' });
    expect('error' in unknown && unknown.error.code).toBe('not_found');
    await c.close();
    core = await createHeadlessCore({ dataDir, keychainService: service, kdfCost: TEST_KDF_COST });
    const again = resultOf(await core.dispatch('tools:list', {}));
    expect(again.find((t) => t.name === 'http_request')?.mode).toBe('off');
  });

  it('reports a tampered audit log through audit:verify, naming the line', async () => {
    const c = await start();
    await c.agents.call('x', 'list_credentials', {});
    await c.agents.call('x', 'list_credentials', { query: 'echo' });
    const path = join(dataDir, 'audit', 'audit.jsonl');
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines[1] = (lines[1] ?? '').replace('"tool":"list_credentials"', '"tool":"credential_info"');
    await writeFile(path, lines.join('\n'));
    const verdict = resultOf(await c.dispatch('audit:verify', {}));
    expect(verdict).toMatchObject({ ok: false, line: 2 });
    expect(verdict.ok ? '' : verdict.message).toMatch(/line 2 of audit\.jsonl/);
  });
});

describe('Connect to Claude Desktop over IPC', () => {
  it('writes the custodian entry once, then says already connected', async () => {
    const home = await makeTempDir('custodian-home-');
    await mkdir(join(home, '.config', 'Claude'), { recursive: true });
    const config = join(home, '.config', 'Claude', 'claude_desktop_config.json');
    await writeFile(config, JSON.stringify({ mcpServers: { other: { command: 'x', args: [] } } }));
    const c = await start({ home });
    const before = resultOf(await c.dispatch('agents:connection', {}));
    expect(before.claude).toEqual({ state: 'not-connected', path: config });
    expect(JSON.parse(before.snippet).mcpServers.custodian.args).toEqual([
      expect.stringMatching(/out\/bridge\/custodian-mcp\.js$/),
      '--data',
      dataDir,
    ]);
    expect(resultOf(await c.dispatch('agents:connectClaude', {}))).toMatchObject({
      status: 'connected',
      path: config,
    });
    const written = JSON.parse(await readFile(config, 'utf8'));
    expect(Object.keys(written.mcpServers)).toEqual(['other', 'custodian']);
    expect(resultOf(await c.dispatch('agents:connectClaude', {})).status).toBe('already-connected');
    expect(resultOf(await c.dispatch('agents:connection', {})).claude.state).toBe('connected');
    await rm(home, { recursive: true, force: true });
  });

  it('refuses a config that is not JSON and leaves it byte for byte', async () => {
    const home = await makeTempDir('custodian-home-');
    await mkdir(join(home, '.config', 'Claude'), { recursive: true });
    const config = join(home, '.config', 'Claude', 'claude_desktop_config.json');
    await writeFile(config, '{ "mcpServers": { oops');
    const c = await start({ home });
    expect(resultOf(await c.dispatch('agents:connection', {})).claude.state).toBe('unreadable');
    const answer = await c.dispatch('agents:connectClaude', {});
    expect('error' in answer && answer.error).toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/not valid JSON.*untouched/),
    });
    expect(await readFile(config, 'utf8')).toBe('{ "mcpServers": { oops');
    await rm(home, { recursive: true, force: true });
  });

  it('says where Claude Desktop is missing on Linux', async () => {
    const home = await makeTempDir('custodian-home-');
    const c = await start({ home });
    const { claude } = resultOf(await c.dispatch('agents:connection', {}));
    expect(claude).toMatchObject({ state: 'unavailable', path: null });
    expect(claude.message).toMatch(/does not seem to be installed/);
    await rm(home, { recursive: true, force: true });
  });
});
