import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolCatalog, type ToolResult } from '../../../electron/core/agents/tools';
import type { Core } from '../../../electron/core/create-core';
import { containsSecret } from '../../../electron/core/credentials/secret-scan';
import { codeOf, resultOf, startCore, type CoreFixture } from '../../support/core-fixture';
import { editedFixture, fixtureDir } from '../../support/plugin-fixtures';

// The agent tool catalog on a real core (real vault, keychain, plugin host)
// and http_request against real HTTP servers on 127.0.0.1.

const API_KEY = 'sk-live-SECRET-0123456789';
const CUSTOM_KEY = 'custom-key-SECRET-9876543210';
const PASSWORD = 'pa55-word-SECRET-xyz';
const ECHO_TOKEN = 'echo-secret-abcdef';
const SECRETS = [API_KEY, CUSTOM_KEY, PASSWORD, ECHO_TOKEN];

interface Hit {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let fixture: CoreFixture;
let core: Core;
let catalog: ToolCatalog;
let serverA: Server;
let serverB: Server;
let portA: number;
let portB: number;
const hitsA: Hit[] = [];
const hitsB: Hit[] = [];

function listen(
  handler: (req: IncomingMessage, res: ServerResponse, body: string) => void,
  hits: Hit[],
) {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      hits.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  return new Promise<Server>((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const routesA = (req: IncomingMessage, res: ServerResponse, body: string) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/echo-auth') {
    res.setHeader('content-type', 'text/plain');
    return res.end(`you sent: ${req.headers.authorization ?? ''}`);
  }
  if (path === '/leak-other') return res.end(Buffer.from(ECHO_TOKEN).toString('base64'));
  if (path === '/redirect') {
    res.statusCode = 302;
    res.setHeader('location', `http://127.0.0.1:${portB}/landed`);
    return res.end();
  }
  if (path === '/hop') {
    res.statusCode = 307;
    res.setHeader('location', '/landed-here');
    return res.end();
  }
  if (path === '/big') return res.end('x'.repeat(5000));
  if (path === '/slow') return; // never answers
  res.setHeader('content-type', 'application/json');
  res.setHeader('set-cookie', 'session=abc');
  res.setHeader('x-ratelimit-remaining', '41');
  res.end(JSON.stringify({ ok: true, method: req.method, url: req.url, body }));
};

/** Stores a credential the way a person does, through the form's channel and its field rules. */
async function storeDirect(type: string, name: string, fields: Record<string, string>) {
  resultOf(
    await core.dispatch('credentials:create', {
      type,
      name,
      description: `${name} for tests`,
      fields,
    }),
  );
}

const text = (result: ToolResult) => result.content.map((c) => c.text).join('\n');
const json = (result: ToolResult) => JSON.parse(text(result)) as Record<string, unknown>;

beforeAll(async () => {
  serverA = await listen(routesA, hitsA);
  serverB = await listen((_req, res) => res.end('second server'), hitsB);
  portA = (serverA.address() as AddressInfo).port;
  portB = (serverB.address() as AddressInfo).port;
  fixture = await startCore();
  core = fixture.core;
  resultOf(await core.dispatch('vault:create', {}));
  await core.plugins.installFromDirectory(fixtureDir('echo'), { source: 'test' });
  resultOf(
    await core.dispatch('credentials:create', {
      type: 'echo_token',
      name: 'echo-cred',
      fields: { token: ECHO_TOKEN },
    }),
  );
  resultOf(
    await core.dispatch('credentials:create', {
      type: 'api_key',
      name: 'remote-only',
      description: 'only for api.example.com',
      fields: { key: API_KEY, allowed_hosts: 'api.example.com, *.example.org' },
    }),
  );
  resultOf(
    await core.dispatch('credentials:create', {
      type: 'api_key',
      name: 'https-only-local',
      fields: { key: API_KEY, allowed_hosts: `127.0.0.1:${portA}` },
    }),
  );
  await storeDirect('api_key', 'local-api', {
    key: API_KEY,
    header_name: 'Authorization',
    header_prefix: 'Bearer ',
    allowed_hosts: `api.example.com, http://127.0.0.1:${portA}`,
  });
  await storeDirect('api_key', 'custom-header', {
    key: CUSTOM_KEY,
    header_name: 'X-Api-Key',
    header_prefix: 'Token ',
    allowed_hosts: `http://127.0.0.1:${portA}`,
  });
  await storeDirect('basic_auth', 'local-basic', {
    username: 'alice',
    password: PASSWORD,
    allowed_hosts: `http://127.0.0.1:${portA}`,
  });
  catalog = new ToolCatalog(core);
}, 120_000);

afterAll(async () => {
  await fixture?.cleanup();
  serverA?.closeAllConnections();
  serverB?.closeAllConnections();
  await new Promise((r) => serverA?.close(r));
  await new Promise((r) => serverB?.close(r));
});

describe('the tool list', () => {
  it('has the built-ins and echo’s fixture_echo with a schema generated from its parameters', () => {
    const tools = catalog.list();
    expect(tools.map((t) => [t.name, t.readOnly])).toEqual([
      ['list_credentials', true],
      ['credential_info', true],
      ['http_request', false],
      ['fixture_echo', false],
    ]);
    const echo = tools.find((t) => t.name === 'fixture_echo');
    expect(echo?.description).toBe('Echo the parameters back.');
    expect(echo?.source).toEqual({ kind: 'plugin', plugin: 'echo', action: 'echo' });
    expect(echo?.inputSchema).toEqual({
      type: 'object',
      properties: {
        credential: { type: 'string', description: 'Name of an Echo token credential' },
        message: { type: 'string' },
        count: { type: 'integer' },
        ratio: { type: 'number' },
        flag: { type: 'boolean' },
        options: { type: 'object' },
        items: { type: 'array' },
        mode: { type: 'string', enum: ['plain', 'fancy'], default: 'plain' },
      },
      required: ['credential'],
      additionalProperties: false,
    });
  });

  it('drops a plugin’s tools when the plugin is turned off', async () => {
    await core.plugins.setEnabled('echo', false);
    expect(catalog.list().map((t) => t.name)).not.toContain('fixture_echo');
    await core.plugins.setEnabled('echo', true);
    expect(catalog.list().map((t) => t.name)).toContain('fixture_echo');
  });

  it('cleans a hostile description of zero-width, bidi and tag characters', async () => {
    const dir = await editedFixture('echo', (toml) =>
      toml
        .replace('name = "echo"', 'name = "echo2"')
        .replace('name = "echo_token"', 'name = "echo2_token"')
        .replace('display_name = "Echo token"', 'display_name = "Echo\u200b token\u202e two"')
        .replace('name = "fixture_echo"', 'name = "fixture_echo2"')
        .replace(
          'description = "Echo the parameters back."',
          'description = "Echo\u200b the\u202e para\u2066meters\u{E0041}\u{E0042} back.\u00ad\ufeff"',
        ),
    );
    await core.plugins.installFromDirectory(dir, { source: 'test' });
    try {
      const tool = catalog.get('fixture_echo2');
      expect(tool?.description).toBe('Echo the parameters back.');
      expect(tool?.inputSchema.properties.credential).toEqual({
        type: 'string',
        description: 'Name of an Echo token two credential',
      });
      const everything = JSON.stringify(catalog.list());
      expect(/[\u200b\u202e\u2066\u00ad\ufeff]|\u{E0041}/u.test(everything)).toBe(false);
    } finally {
      await core.plugins.uninstall('echo2');
    }
  });

  it('never offers a tool whose name hides characters or whose description is 5000 characters', async () => {
    const hiddenName = await editedFixture('echo', (toml) =>
      toml
        .replace('name = "echo"', 'name = "echo3"')
        .replace('name = "echo_token"', 'name = "echo3_token"')
        .replace('name = "fixture_echo"', 'name = "fixture\u200b_echo3"'),
    );
    const longText = await editedFixture('echo', (toml) =>
      toml
        .replace('name = "echo"', 'name = "echo4"')
        .replace('name = "echo_token"', 'name = "echo4_token"')
        .replace('name = "fixture_echo"', 'name = "fixture_echo4"')
        .replace(
          'description = "Echo the parameters back."',
          `description = "${'a'.repeat(5000)}"`,
        ),
    );
    expect(await codeOf(core.plugins.installFromDirectory(hiddenName, { source: 'test' }))).toBe(
      'invalid_input',
    );
    expect(await codeOf(core.plugins.installFromDirectory(longText, { source: 'test' }))).toBe(
      'invalid_input',
    );
    const names = catalog.list().map((t) => t.name);
    expect(names.some((n) => n.includes('echo3') || n.includes('echo4'))).toBe(false);
  });
});

describe('list_credentials and credential_info', () => {
  it('list names, types and descriptions and no stored secret', async () => {
    const result = await catalog.callTool('list_credentials', {});
    expect(result.isError).toBeUndefined();
    const list = json(result).credentials as { name: string; type: string; type_name: string }[];
    expect(list.map((c) => c.name)).toEqual([
      'custom-header',
      'echo-cred',
      'https-only-local',
      'local-api',
      'local-basic',
      'remote-only',
    ]);
    expect(list.find((c) => c.name === 'remote-only')).toEqual({
      name: 'remote-only',
      type: 'api_key',
      type_name: 'API key',
      description: 'only for api.example.com',
    });
    expect(containsSecret(text(result), SECRETS)).toBe(false);
  });

  it('filter by type and by text', async () => {
    const byType = json(await catalog.callTool('list_credentials', { type: 'basic_auth' }));
    expect((byType.credentials as { name: string }[]).map((c) => c.name)).toEqual(['local-basic']);
    const byQuery = json(await catalog.callTool('list_credentials', { query: 'example.com' }));
    expect((byQuery.credentials as { name: string }[]).map((c) => c.name)).toEqual(['remote-only']);
    expect((await catalog.callTool('list_credentials', { evil: 1 })).isError).toBe(true);
  });

  it('credential_info tells which fields are set, never their values', async () => {
    for (const name of ['local-api', 'custom-header', 'local-basic', 'echo-cred', 'remote-only']) {
      const result = await catalog.callTool('credential_info', { credential: name });
      expect(result.isError).toBeUndefined();
      expect(containsSecret(text(result), SECRETS)).toBe(false);
      expect(text(result).includes('*.example.org')).toBe(false);
    }
    const info = json(await catalog.callTool('credential_info', { credential: 'LOCAL-BASIC' }));
    expect(info).toMatchObject({
      name: 'local-basic',
      type: 'basic_auth',
      type_name: 'Username and password',
      description: 'local-basic for tests',
      last_used_at: null,
      fields: [
        { name: 'username', label: 'Username', secret: false, set: true },
        { name: 'password', label: 'Password', secret: true, set: true },
        { name: 'allowed_hosts', label: 'Allowed hosts', secret: false, set: true },
      ],
    });
    expect(typeof info.created_at).toBe('string');
    expect(await catalog.callTool('credential_info', { credential: 'nope' })).toEqual({
      content: [
        {
          type: 'text',
          text: 'No credential named "nope". Use list_credentials to see the names.',
        },
      ],
      isError: true,
    });
  });
});

describe('http_request', () => {
  const call = (args: Record<string, unknown>, target = catalog) =>
    target.callTool('http_request', { method: 'GET', ...args });

  it('injects the api key with its prefix, and returns the response without the secret', async () => {
    const before = hitsA.length;
    const result = await call({
      credential: 'local-api',
      method: 'POST',
      url: `http://127.0.0.1:${portA}/things?a=1`,
      query: { b: 'two', n: 3 },
      headers: { 'Content-Type': 'application/json', 'X-Trace': 't1' },
      body: '{"hello":"world"}',
    });
    expect(result.isError).toBeUndefined();
    const hit = hitsA[before];
    expect(hitsA.length).toBe(before + 1);
    expect(hit?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(hit?.headers['x-trace']).toBe('t1');
    expect(hit?.url).toBe('/things?a=1&b=two&n=3');
    expect(hit?.body).toBe('{"hello":"world"}');
    const answer = json(result);
    expect(answer.status).toBe(200);
    expect(answer.headers).toEqual({
      'content-type': 'application/json',
      'content-length': expect.any(String),
      'x-ratelimit-remaining': '41',
    });
    expect(JSON.parse(answer.body as string)).toMatchObject({ ok: true, method: 'POST' });
    expect(containsSecret(text(result), SECRETS)).toBe(false);
  });

  it('injects a custom header with its prefix, and basic auth', async () => {
    await call({ credential: 'custom-header', url: `http://127.0.0.1:${portA}/x` });
    expect(hitsA.at(-1)?.headers['x-api-key']).toBe(`Token ${CUSTOM_KEY}`);
    expect(hitsA.at(-1)?.headers.authorization).toBeUndefined();
    await call({ credential: 'local-basic', url: `http://127.0.0.1:${portA}/x` });
    expect(hitsA.at(-1)?.headers.authorization).toBe(
      `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`,
    );
  });

  it('withholds a response that echoes the secret back, or holds any other credential’s secret', async () => {
    for (const credential of ['local-api', 'local-basic']) {
      const result = await call({ credential, url: `http://127.0.0.1:${portA}/echo-auth` });
      expect(result).toEqual({
        content: [
          {
            type: 'text',
            text: 'The response (HTTP 200) contained a stored secret, so Custodian withheld it.',
          },
        ],
        isError: true,
      });
    }
    const other = await call({
      credential: 'local-api',
      url: `http://127.0.0.1:${portA}/leak-other`,
    });
    expect(other.isError).toBe(true);
    expect(containsSecret(text(other), SECRETS)).toBe(false);
  });

  it('refuses a host that is not allowed, and the server is never reached', async () => {
    const before = hitsA.length;
    const refused = await call({ credential: 'remote-only', url: `http://127.0.0.1:${portA}/x` });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/^http_request refused: /);
    const otherHost = await call({ credential: 'local-api', url: `http://localhost:${portA}/x` });
    expect(otherHost.isError).toBe(true);
    expect(text(otherHost)).toContain('is only sent to its allowed hosts');
    // Listed without http:// the host is https only.
    const plain = await call({
      credential: 'https-only-local',
      url: `http://127.0.0.1:${portA}/x`,
    });
    expect(text(plain)).toMatch(/^http_request refused: .*plain http is refused/);
    // Listed with a port, but not a public address.
    const https = await call({
      credential: 'https-only-local',
      url: `https://127.0.0.1:${portA}/x`,
    });
    expect(text(https)).toMatch(/^http_request refused: .*loopback/);
    expect(hitsA.length).toBe(before);
  });

  it('refuses a redirect to a port that is not listed; the second server is never hit', async () => {
    const result = await call({
      credential: 'local-api',
      url: `http://127.0.0.1:${portA}/redirect`,
    });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/^http_request refused: 127\.0\.0\.1:\d+: /);
    expect(hitsB).toEqual([]);
  });

  it('follows a redirect within the allowed origin, with the auth still checked and sent', async () => {
    const before = hitsA.length;
    const result = await call({ credential: 'local-api', url: `http://127.0.0.1:${portA}/hop` });
    expect(result.isError).toBeUndefined();
    expect(json(result)).toMatchObject({
      status: 200,
      url: `http://127.0.0.1:${portA}/landed-here`,
    });
    expect(hitsA.slice(before).map((h) => [h.url, h.headers.authorization])).toEqual([
      ['/hop', `Bearer ${API_KEY}`],
      ['/landed-here', `Bearer ${API_KEY}`],
    ]);
  });

  it('does not let the agent set the auth header', async () => {
    const before = hitsA.length;
    for (const [credential, header] of [
      ['local-api', 'Authorization'],
      ['local-api', 'authorization'],
      ['custom-header', 'X-API-KEY'],
      ['local-basic', 'AUTHORIZATION'],
    ] as const) {
      const result = await call({
        credential,
        url: `http://127.0.0.1:${portA}/x`,
        headers: { [header]: 'Bearer attacker' },
      });
      expect(result.isError).toBe(true);
      expect(text(result)).toContain('is set by Custodian');
    }
    expect(hitsA.length).toBe(before);
  });

  it('caps size and time, and cuts long bodies', async () => {
    const small = new ToolCatalog(core, {
      http: { maxResponseBytes: 1000, timeoutMs: 400, maxBodyChars: 50 },
    });
    const big = await call(
      { credential: 'local-api', url: `http://127.0.0.1:${portA}/big` },
      small,
    );
    expect(big.isError).toBe(true);
    expect(text(big)).toMatch(/^http_request failed: .*more than the 1000 allowed/);
    const slow = await call(
      { credential: 'local-api', url: `http://127.0.0.1:${portA}/slow` },
      small,
    );
    expect(text(slow)).toMatch(/^http_request failed: .*no complete answer in time/);
    const cut = json(
      await call(
        { credential: 'local-api', url: `http://127.0.0.1:${portA}/x` },
        new ToolCatalog(core, { http: { maxBodyChars: 10 } }),
      ),
    );
    expect(cut).toMatchObject({ truncated: true, body: '{"ok":true' });
  });

  it('refuses credentials of other types and bad arguments', async () => {
    const result = await call({ credential: 'echo-cred', url: `http://127.0.0.1:${portA}/x` });
    expect(text(result)).toBe(
      'Credential "echo-cred" is of type echo_token (Echo token); http_request needs an API key or Username and password',
    );
    expect(text(await call({ credential: 'local-api', url: 'ftp://127.0.0.1/' }))).toMatch(
      /only https/,
    );
    expect(
      (await call({ credential: 'local-api', method: 'TRACE', url: 'https://a.b/' })).isError,
    ).toBe(true);
  });

  it('records when the credential was last used', async () => {
    await call({ credential: 'local-api', url: `http://127.0.0.1:${portA}/x` });
    // Saved after the call answered, so that no call waits for a vault save.
    await catalog.usageSaved();
    const info = json(await catalog.callTool('credential_info', { credential: 'local-api' }));
    expect(typeof info.last_used_at).toBe('string');
  });
});

describe('plugin tools', () => {
  it('call the plugin with the credential and parameters', async () => {
    const result = await catalog.callTool('fixture_echo', {
      credential: 'echo-cred',
      message: 'hi',
      count: 2,
    });
    expect(result.isError).toBeUndefined();
    expect(json(result)).toEqual({
      action: 'echo',
      parameters: { message: 'hi', count: 2, mode: 'plain' },
      credential_fields: ['token'],
    });
  });

  it('refuse a wrong-type or missing credential and bad parameters with clear messages', async () => {
    expect(await catalog.callTool('fixture_echo', { credential: 'local-api' })).toEqual({
      content: [
        {
          type: 'text',
          text: 'Credential "local-api" is of type api_key (API key); fixture_echo needs an Echo token',
        },
      ],
      isError: true,
    });
    expect(text(await catalog.callTool('fixture_echo', { credential: 'nope' }))).toBe(
      'No credential named "nope". Use list_credentials to see the names.',
    );
    expect(text(await catalog.callTool('fixture_echo', { message: 'x' }))).toBe(
      'fixture_echo needs "credential": the name of the credential to use',
    );
    expect(
      text(await catalog.callTool('fixture_echo', { credential: 'echo-cred', count: 'two' })),
    ).toBe('Parameter "count" must be an integer');
  });

  it('an unknown tool is a clear error', async () => {
    expect(await catalog.callTool('no_such_tool', {})).toEqual({
      content: [
        {
          type: 'text',
          text: 'No tool named "no_such_tool". List the tools to see what is available.',
        },
      ],
      isError: true,
    });
    expect((await catalog.callTool('list_credentials', [])).isError).toBe(true);
  });
});

describe('when the vault is locked', () => {
  it('offers only the built-ins, and their calls say to unlock', async () => {
    resultOf(await core.dispatch('vault:lock', {}));
    expect(catalog.list().map((t) => t.name)).toEqual([
      'list_credentials',
      'credential_info',
      'http_request',
    ]);
    expect(await catalog.callTool('list_credentials', {})).toEqual({
      content: [{ type: 'text', text: 'The vault is locked. Unlock Custodian first.' }],
      isError: true,
    });
    const http = await catalog.callTool('http_request', {
      credential: 'local-api',
      method: 'GET',
      url: `http://127.0.0.1:${portA}/x`,
    });
    expect(text(http)).toBe('The vault is locked. Unlock Custodian first.');
    expect((await catalog.callTool('fixture_echo', { credential: 'echo-cred' })).isError).toBe(
      true,
    );
  });
});
