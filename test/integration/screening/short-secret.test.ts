import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolCatalog, type ToolResult } from '../../../electron/core/agents/tools';
import { resultOf, startCore, type CoreFixture } from '../../support/core-fixture';

// Issue 14, point 4: a 5-character secret reflected by an allowed host (a real
// HTTP server on 127.0.0.1) never reaches the agent, in any of the ways a host
// can hand it back; text that merely contains those letters inside a word passes.

const SHORT = 'ab12z';
const WITHHELD = 'The response (HTTP 200) contained a stored secret, so Custodian withheld it.';

let fixture: CoreFixture;
let catalog: ToolCatalog;
let server: Server;
let port: number;

const routes: Record<string, (req: IncomingMessage) => string> = {
  // A debug endpoint that tells the caller who it is: the password in a JSON body.
  '/whoami': (req) => {
    const [, pass] = Buffer.from((req.headers.authorization ?? '').slice(6), 'base64')
      .toString('utf8')
      .split(':');
    return JSON.stringify({ authenticated: true, password: pass });
  },
  '/echo-auth': (req) => `you sent: ${req.headers.authorization ?? ''}`,
  '/hex': () => `digest=${Buffer.from(SHORT).toString('hex')}`,
  '/plain-line': () => `pin ${SHORT}\n`,
  '/words': () => `xab12zebra, ab12zz and Ab12z9 are only words that look alike`,
};

beforeAll(async () => {
  server = await new Promise<Server>((resolve) => {
    const s = createServer((req: IncomingMessage, res: ServerResponse) => {
      const route = routes[new URL(req.url ?? '/', 'http://x').pathname];
      res.end(route ? route(req) : 'not found');
    });
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
  port = (server.address() as AddressInfo).port;
  fixture = await startCore();
  const core = fixture.core;
  resultOf(await core.dispatch('vault:create', {}));
  resultOf(
    await core.dispatch('credentials:create', {
      type: 'basic_auth',
      name: 'short-pin',
      fields: { username: 'alice', password: SHORT, allowed_hosts: `http://127.0.0.1:${port}` },
    }),
  );
  catalog = new ToolCatalog(core);
}, 120_000);

afterAll(async () => {
  await fixture?.cleanup();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

const text = (result: ToolResult) => result.content.map((c) => c.text).join('\n');
const get = (path: string) =>
  catalog.callTool('http_request', {
    credential: 'short-pin',
    method: 'GET',
    url: `http://127.0.0.1:${port}${path}`,
  });

describe('a 5-character secret reflected by an allowed host', () => {
  it.each(['/whoami', '/echo-auth', '/hex', '/plain-line'])('is withheld (%s)', async (path) => {
    const result = await get(path);
    expect(result.isError).toBe(true);
    expect(text(result)).toBe(WITHHELD);
    expect(text(result)).not.toContain(SHORT);
  });

  it('does not refuse ordinary text that only contains the letters inside longer words', async () => {
    const result = await get('/words');
    expect(result.isError).toBeUndefined();
    expect(JSON.parse(text(result))).toMatchObject({
      status: 200,
      body: expect.stringContaining('xab12zebra'),
    });
  });
});

describe('saving an API key', () => {
  it('refuses a key shorter than 8 characters with invalid_input naming the field', async () => {
    const answer = await fixture.core.dispatch('credentials:create', {
      type: 'api_key',
      name: 'too-short',
      fields: { key: SHORT, allowed_hosts: `http://127.0.0.1:${port}` },
    });
    expect(JSON.stringify(answer)).not.toContain(SHORT);
    expect(answer).toMatchObject({
      error: {
        code: 'invalid_input',
        fields: { key: 'Key must be at least 8 characters: a shorter secret is easy to guess' },
      },
    });
  });
});
