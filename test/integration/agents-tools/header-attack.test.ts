import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ToolCatalog, type ToolResult } from '../../../electron/core/agents/tools';
import type { Core } from '../../../electron/core/create-core';
import { resultOf, startCore, type CoreFixture } from '../../support/core-fixture';

// Issue 14, attack 1: one header the HTTP client cannot carry made http_request
// answer "the request could not be made" and, when the call's deadline came,
// the deadline timer's handler touched a request that was never built and the
// whole core exited with an uncaught ReferenceError. Here on a real core (real
// vault, keychain, plugin host) with a deadline short enough to pass inside the
// test: every such call is refused by name before any request is made, and the
// core still answers after the deadline has gone by.

const API_KEY = 'sk-live-SECRET-0123456789';
const ZW_KEY = 'sk-live-SECRET\u200b-zerowidth';
const DEADLINE_MS = 150;

let fixture: CoreFixture;
let core: Core;
let catalog: ToolCatalog;
let server: Server;
let port = 0;
const hits: IncomingMessage['headers'][] = [];
const rawHits: string[][] = [];
const uncaught: unknown[] = [];
const recordUncaught = (error: unknown) => uncaught.push(error);

const text = (result: ToolResult) => result.content.map((c) => c.text).join('\n');
const call = (args: Record<string, unknown>) =>
  catalog.callTool('http_request', { method: 'GET', credential: 'local-api', ...args });

beforeAll(async () => {
  process.on('uncaughtException', recordUncaught);
  server = createServer((req, res) => {
    hits.push(req.headers);
    rawHits.push(req.rawHeaders);
    res.end('fine');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  fixture = await startCore();
  core = fixture.core;
  resultOf(await core.dispatch('vault:create', {}));
  resultOf(
    await core.dispatch('credentials:create', {
      type: 'api_key',
      name: 'local-api',
      fields: { key: API_KEY, allowed_hosts: `http://127.0.0.1:${port}` },
    }),
  );
  // A key with a zero-width space, as a vault written before keys were checked on save holds it.
  await core.vault.update((content) => {
    const time = new Date().toISOString();
    content.credentials.push({
      id: randomUUID(),
      name: 'pasted-key',
      type: 'api_key',
      description: '',
      fields: {
        key: ZW_KEY,
        header_name: 'Authorization',
        header_prefix: 'Bearer ',
        allowed_hosts: `http://127.0.0.1:${port}`,
      },
      createdAt: time,
      updatedAt: time,
      lastUsedAt: null,
    });
  });
  catalog = new ToolCatalog(core, { http: { timeoutMs: DEADLINE_MS } });
}, 120_000);

afterAll(async () => {
  process.off('uncaughtException', recordUncaught);
  await fixture?.cleanup();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

beforeEach(() => {
  uncaught.length = 0;
});

describe('a header HTTP cannot carry', () => {
  it('is refused by name before any request, and the core still answers after the deadline', async () => {
    const before = hits.length;
    const attacks = [
      ['price in €', 'U+20AC'],
      ['bell\u0001', 'U+0001'],
      ['zero\u200bwidth', 'U+200B'],
    ] as const;
    const results: ToolResult[] = [];
    for (const [value] of attacks)
      results.push(await call({ url: `http://127.0.0.1:${port}/x`, headers: { 'X-Note': value } }));
    const badName = await call({
      url: `http://127.0.0.1:${port}/x`,
      headers: { 'X Note€': 'fine' },
    });

    // Past every refused call's deadline: nothing fired, the core answers.
    await new Promise((resolve) => setTimeout(resolve, DEADLINE_MS * 3));
    expect(uncaught.map((e) => (e instanceof Error ? `${e.name}: ${e.message}` : e))).toEqual([]);
    const ok = await call({ url: `http://127.0.0.1:${port}/after` });
    expect(ok.isError).toBeUndefined();
    expect(hits.length).toBe(before + 1);

    attacks.forEach(([, shown], index) => {
      const result = results[index] as ToolResult;
      expect(result.isError).toBe(true);
      expect(text(result)).toContain('"x-note"');
      expect(text(result)).toContain(shown);
      expect(text(result)).not.toContain('could not be made');
    });
    expect(text(badName)).toMatch(
      /header name "x note€" is not an HTTP token: U\+0020 is not allowed/i,
    );
  });

  it('refuses a stored key holding a zero-width space without quoting it, and survives', async () => {
    const before = hits.length;
    const result = await call({ credential: 'pasted-key', url: `http://127.0.0.1:${port}/x` });
    await new Promise((resolve) => setTimeout(resolve, DEADLINE_MS * 3));
    expect(uncaught.map((e) => (e instanceof Error ? `${e.name}: ${e.message}` : e))).toEqual([]);
    expect((await call({ url: `http://127.0.0.1:${port}/after` })).isError).toBeUndefined();
    expect(hits.length).toBe(before + 1);
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('"authorization"');
    expect(text(result)).toContain('pasted-key');
    expect(text(result)).not.toContain('SECRET');
    expect(text(result)).not.toContain('U+200B');
  });
});

describe('a key HTTP cannot carry', () => {
  it('is refused on save, naming the field and the character, never the key', async () => {
    const created = await core.dispatch('credentials:create', {
      type: 'api_key',
      name: 'pasted-again',
      fields: { key: ZW_KEY, allowed_hosts: `http://127.0.0.1:${port}` },
    });
    expect(created).toMatchObject({
      error: {
        code: 'invalid_input',
        fields: { key: 'Key contains U+200B, which an HTTP header cannot carry' },
      },
    });
    expect(JSON.stringify(created)).not.toContain('SECRET');
    const id = core.credentials.list().find((c) => c.name === 'local-api')?.id;
    const updated = await core.dispatch('credentials:update', {
      id,
      fields: { key: 'sk-€-SECRET' },
    });
    expect(updated).toMatchObject({
      error: { fields: { key: 'Key contains U+20AC, which an HTTP header cannot carry' } },
    });
    expect(JSON.stringify(updated)).not.toContain('SECRET');
    expect((await call({ url: `http://127.0.0.1:${port}/still` })).isError).toBeUndefined();
  });
});

describe('header names that are also object keys', () => {
  it('answers a call naming __proto__ and constructor headers, and sends constructor', async () => {
    const result = await call({
      url: `http://127.0.0.1:${port}/keys`,
      headers: JSON.parse('{"__proto__": "p", "constructor": "c"}') as Record<string, string>,
    });
    expect(result.isError).toBeUndefined();
    const raw = rawHits.at(-1) ?? [];
    const sent = Object.fromEntries(
      raw.flatMap((value, index) => (index % 2 === 0 ? [[value, raw[index + 1]]] : [])),
    );
    // (The arguments' schema drops a __proto__ key before http_request sees it.)
    expect(sent).toMatchObject({ constructor: 'c' });
  });
});
