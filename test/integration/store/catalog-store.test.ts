import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  keyIdOf,
  rawPublicKey,
  signCatalog,
} from '../../../electron/core/store/catalog/catalog-signing';
import { CatalogStore, type StoreFetch } from '../../../electron/core/store/catalog/catalog-store';
import { createStoreFetch } from '../../../electron/core/store/catalog/store-fetch';
import { CATALOG_MAX_BYTES } from '../../../shared/catalog';

// The catalog store against a real HTTP server on 127.0.0.1, through the real
// checked fetch (allowed to reach exactly that host:port), with catalogs
// signed by keys made here. Every refusal must leave the previous copy in use.

interface Served {
  status: number;
  body: Buffer | string;
}

let server: Server;
let base: string;
let allow: string;
const routes = new Map<string, Served>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const route = routes.get(req.url ?? '');
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(route.status, { 'content-type': 'application/json' }).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  allow = `127.0.0.1:${port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = rawPublicKey(publicKey);
  return { privateKey, publicKey: raw.toString('base64'), keyId: keyIdOf(raw) };
}

function plugin(name: string, version = '1.0.0') {
  return {
    name,
    version,
    description: `${name} plugin`,
    author: 'Test',
    credential_types: [],
    tools: [{ name: `${name.replace(/-/g, '_')}_run`, description: 'Runs' }],
    capabilities: { crypto: false, log: false, http: [] },
    archive: { url: `https://example.com/${name}.tgz`, size: 10, sha256: 'b'.repeat(64) },
  };
}

function envelope(
  key: KeyObject,
  sequence: number,
  plugins: string[],
  expires = '2099-01-01T00:00:00Z',
): string {
  return signCatalog(
    JSON.stringify({ name: 'Remote', sequence, expires, plugins: plugins.map((p) => plugin(p)) }),
    key,
  );
}

let dataDir: string;
const fetchLocal: () => StoreFetch = () => createStoreFetch({ allowPrivate: [allow] });
const open = (extra: Partial<ConstructorParameters<typeof CatalogStore>[0]> = {}) =>
  new CatalogStore({ dataDir, fs, fetch: fetchLocal(), ...extra });
const names = async (store: CatalogStore) => (await store.plugins()).map((e) => e.plugin.name);

beforeEach(async () => {
  dataDir = await fs.mkdtemp(join(tmpdir(), 'custodian-catalog-'));
  routes.clear();
});

describe('adding, refreshing and refusing', () => {
  it('keeps the previous copy through every kind of refusal', async () => {
    const publisher = keyPair();
    const stranger = keyPair();
    const url = `${base}/catalog.json`;
    const store = open();

    routes.set('/catalog.json', {
      status: 200,
      body: envelope(publisher.privateKey, 1, ['alpha']),
    });
    const added = await store.add(url, publisher.publicKey);
    if (!added.ok) throw new Error(added.error.message);
    const id = added.source.id;
    expect(added.source).toMatchObject({
      url,
      keyId: publisher.keyId,
      sequence: 1,
      bundled: false,
    });
    expect(await names(store)).toEqual(['alpha']);

    // The same catalog again is fine and changes nothing.
    expect(await store.refresh(id)).toEqual({ id, ok: true, changed: false, sequence: 1 });

    // A newer sequence replaces the copy.
    routes.set('/catalog.json', {
      status: 200,
      body: envelope(publisher.privateKey, 2, ['alpha', 'beta']),
    });
    expect(await store.refresh(id)).toEqual({ id, ok: true, changed: true, sequence: 2 });
    expect(await names(store)).toEqual(['alpha', 'beta']);

    const refusals: [string, string, RegExp][] = [
      [
        'bad_signature',
        JSON.stringify({
          ...JSON.parse(envelope(publisher.privateKey, 3, ['alpha', 'beta', 'evil'])),
          body: JSON.stringify({
            name: 'Remote',
            sequence: 3,
            expires: '2099-01-01T00:00:00Z',
            plugins: [plugin('evil')],
          }),
        }),
        new RegExp(
          `^The catalog from ${escape(url)} has a signature that does not match key ${publisher.keyId}: .*; the previous copy stays in use\\.$`,
        ),
      ],
      [
        'unknown_key',
        envelope(stranger.privateKey, 3, ['evil']),
        new RegExp(
          `^The catalog from ${escape(url)} is signed by key ${stranger.keyId}, which is not the key you added \\(${publisher.keyId}\\); the previous copy stays in use\\.$`,
        ),
      ],
      [
        'expired',
        envelope(publisher.privateKey, 3, ['evil'], '2020-01-01T00:00:00Z'),
        /expired on 2020-01-01T00:00:00Z; .* The previous copy stays in use\.$/,
      ],
      [
        'rollback',
        envelope(publisher.privateKey, 1, ['alpha']),
        /has sequence 1, lower than the copy in use \(2\); .*the previous copy stays in use\.$/,
      ],
      [
        'rollback',
        envelope(publisher.privateKey, 2, ['alpha', 'beta', 'evil']),
        /has sequence 2, the same as the copy in use but with different contents/,
      ],
      ['malformed', '{"format":1', /is not valid JSON; the previous copy stays in use\.$/],
    ];
    for (const [code, body, message] of refusals) {
      routes.set('/catalog.json', { status: 200, body });
      const result = await store.refresh(id);
      expect(result.ok, code).toBe(false);
      if (result.ok) continue;
      expect(result.error.code).toBe(code);
      expect(result.error.message).toMatch(message);
      // The previous copy stays in use, in memory and on disk.
      expect(await names(store)).toEqual(['alpha', 'beta']);
      expect((await store.list())[0]).toMatchObject({ sequence: 2, lastError: result.error });
      expect(await names(open())).toEqual(['alpha', 'beta']);
    }

    // A good catalog clears the error.
    routes.set('/catalog.json', {
      status: 200,
      body: envelope(publisher.privateKey, 7, ['gamma']),
    });
    expect(await store.refresh(id)).toMatchObject({ ok: true, sequence: 7 });
    expect((await store.list())[0]).toMatchObject({ sequence: 7, lastError: null });
    expect(await names(store)).toEqual(['gamma']);
  });

  it('refuses a 404 and a body over the size cap, keeping the copy', async () => {
    const publisher = keyPair();
    const store = open();
    routes.set('/c.json', { status: 200, body: envelope(publisher.privateKey, 1, ['alpha']) });
    const added = await store.add(`${base}/c.json`, publisher.publicKey);
    if (!added.ok) throw new Error(added.error.message);

    routes.delete('/c.json');
    const missing = await store.refresh(added.source.id);
    expect(missing).toMatchObject({
      ok: false,
      error: {
        code: 'fetch_failed',
        message: `Could not fetch the catalog from ${base}/c.json: the server answered HTTP 404; the previous copy stays in use.`,
      },
    });

    routes.set('/c.json', { status: 200, body: Buffer.alloc(CATALOG_MAX_BYTES + 1, 0x20) });
    const huge = await store.refresh(added.source.id);
    expect(huge.ok).toBe(false);
    if (!huge.ok) {
      expect(huge.error.code).toBe('fetch_failed');
      expect(huge.error.message).toMatch(
        new RegExp(
          `larger than the ${CATALOG_MAX_BYTES} bytes allowed; the previous copy stays in use\\.$`,
        ),
      );
    }
    expect(await names(store)).toEqual(['alpha']);
  });

  it('refuses to add a catalog it cannot verify, and records nothing', async () => {
    const publisher = keyPair();
    const stranger = keyPair();
    const store = open();
    routes.set('/c.json', { status: 200, body: envelope(stranger.privateKey, 1, ['alpha']) });
    const result = await store.add(`${base}/c.json`, publisher.publicKey);
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown_key' } });
    if (!result.ok) expect(result.error.message).toMatch(/; the catalog was not added\.$/);

    expect(await store.add(`${base}/missing.json`, publisher.publicKey)).toMatchObject({
      ok: false,
      error: { code: 'fetch_failed' },
    });
    expect(await store.add(`${base}/c.json`, 'not a key')).toMatchObject({
      ok: false,
      error: { code: 'malformed' },
    });
    expect(await store.add('file:///etc/passwd', publisher.publicKey)).toMatchObject({
      ok: false,
      error: { code: 'malformed' },
    });
    expect(await store.list()).toEqual([]);
    expect(await fs.readdir(join(dataDir, 'store', 'catalogs'))).toEqual([]);
  });

  it('refuses a duplicate URL', async () => {
    const publisher = keyPair();
    const store = open();
    routes.set('/c.json', { status: 200, body: envelope(publisher.privateKey, 1, ['alpha']) });
    expect((await store.add(`${base}/c.json`, publisher.publicKey)).ok).toBe(true);
    const again = await store.add(`${base}/c.json#again`, publisher.publicKey);
    expect(again).toMatchObject({
      ok: false,
      error: { code: 'duplicate', message: `The catalog ${base}/c.json is already in your list.` },
    });
    expect(await store.list()).toHaveLength(1);
  });

  it('refreshes all sources independently', async () => {
    const a = keyPair();
    const b = keyPair();
    const store = open();
    routes.set('/a.json', { status: 200, body: envelope(a.privateKey, 1, ['alpha']) });
    routes.set('/b.json', { status: 200, body: envelope(b.privateKey, 1, ['beta']) });
    const addedA = await store.add(`${base}/a.json`, a.publicKey);
    const addedB = await store.add(`${base}/b.json`, b.publicKey);
    if (!addedA.ok || !addedB.ok) throw new Error('add failed');

    routes.set('/a.json', { status: 200, body: envelope(a.privateKey, 2, ['alpha', 'alpha-two']) });
    routes.set('/b.json', { status: 200, body: envelope(a.privateKey, 2, ['evil']) });
    const results = await store.refreshAll();
    expect(results).toEqual([
      { id: addedA.source.id, ok: true, changed: true, sequence: 2 },
      expect.objectContaining({ id: addedB.source.id, ok: false }),
    ]);
    expect(await store.plugins()).toEqual([
      { catalogId: addedA.source.id, plugin: expect.objectContaining({ name: 'alpha' }) },
      { catalogId: addedA.source.id, plugin: expect.objectContaining({ name: 'alpha-two' }) },
      { catalogId: addedB.source.id, plugin: expect.objectContaining({ name: 'beta' }) },
    ]);
  });
});

describe('removing and persistence', () => {
  it('keeps sources and accepted copies across a new store, rollback protection included', async () => {
    const publisher = keyPair();
    routes.set('/c.json', { status: 200, body: envelope(publisher.privateKey, 3, ['alpha']) });
    const first = open();
    const added = await first.add(`${base}/c.json`, publisher.publicKey);
    if (!added.ok) throw new Error(added.error.message);

    const second = open();
    expect(await second.list()).toEqual([
      expect.objectContaining({ id: added.source.id, sequence: 3, url: `${base}/c.json` }),
    ]);
    expect(await names(second)).toEqual(['alpha']);
    routes.set('/c.json', { status: 200, body: envelope(publisher.privateKey, 2, ['old']) });
    expect(await second.refresh(added.source.id)).toMatchObject({
      ok: false,
      error: { code: 'rollback' },
    });

    // The stored copy is the envelope exactly as served.
    const stored = await fs.readFile(
      join(dataDir, 'store', 'catalogs', `${added.source.id}.json`),
      'utf8',
    );
    expect(JSON.parse(stored).keyId).toBe(publisher.keyId);
  });

  it('removes a source and its copy, and sweeps copies a crash left behind', async () => {
    const publisher = keyPair();
    routes.set('/c.json', { status: 200, body: envelope(publisher.privateKey, 1, ['alpha']) });
    const store = open();
    const added = await store.add(`${base}/c.json`, publisher.publicKey);
    if (!added.ok) throw new Error(added.error.message);
    expect(await store.remove(added.source.id)).toEqual({ ok: true });
    expect(await store.list()).toEqual([]);
    expect(await store.plugins()).toEqual([]);
    expect(await store.remove(added.source.id)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await open().list()).toEqual([]);

    const copies = join(dataDir, 'store', 'catalogs');
    await fs.writeFile(join(copies, '0123456789abcdef.json'), 'orphan');
    await fs.writeFile(join(copies, '0123456789abcdef.json.tmp-abcdef'), 'half');
    await open().list();
    expect(await fs.readdir(copies)).toEqual([]);
  });

  it('re-checks stored copies: a copy changed on disk is dropped, not trusted', async () => {
    const publisher = keyPair();
    routes.set('/c.json', { status: 200, body: envelope(publisher.privateKey, 1, ['alpha']) });
    const added = await open().add(`${base}/c.json`, publisher.publicKey);
    if (!added.ok) throw new Error(added.error.message);
    const path = join(dataDir, 'store', 'catalogs', `${added.source.id}.json`);
    await fs.writeFile(path, (await fs.readFile(path, 'utf8')).replace('alpha', 'evilx'));
    const reopened = open();
    expect(await names(reopened)).toEqual([]);
    expect((await reopened.list())[0]?.lastError?.code).toBe('bad_signature');
  });
});

describe('the bundled catalog', () => {
  const app = keyPair();
  const bundled = (text: string, publicKey = app.publicKey) => ({ envelope: text, publicKey });

  it('is listed first, not removable, and its plugins come first', async () => {
    const publisher = keyPair();
    routes.set('/c.json', { status: 200, body: envelope(publisher.privateKey, 1, ['remote']) });
    const store = open({ bundled: bundled(envelope(app.privateKey, 1, ['pgp'])) });
    const added = await store.add(`${base}/c.json`, publisher.publicKey);
    if (!added.ok) throw new Error(added.error.message);
    const list = await store.list();
    expect(list.map((s) => [s.id, s.bundled])).toEqual([
      ['bundled', true],
      [added.source.id, false],
    ]);
    expect(await store.plugins()).toEqual([
      { catalogId: 'bundled', plugin: expect.objectContaining({ name: 'pgp' }) },
      { catalogId: added.source.id, plugin: expect.objectContaining({ name: 'remote' }) },
    ]);
    expect(await store.remove('bundled')).toMatchObject({
      ok: false,
      error: { code: 'not_removable' },
    });
    expect(await store.refresh('bundled')).toEqual({
      id: 'bundled',
      ok: true,
      changed: false,
      sequence: 1,
    });
  });

  it('works past its expiry (offline, old app) but is marked stale', async () => {
    const store = open({
      bundled: bundled(envelope(app.privateKey, 1, ['pgp'], '2020-01-01T00:00:00Z')),
    });
    expect(await names(store)).toEqual(['pgp']);
    expect((await store.list())[0]).toMatchObject({ id: 'bundled', stale: true });
  });

  it('is refused, with the reason listed, when its signature does not match the app key', async () => {
    const other = keyPair();
    const store = open({ bundled: bundled(envelope(other.privateKey, 1, ['pgp'])) });
    expect(await store.plugins()).toEqual([]);
    expect((await store.list())[0]).toMatchObject({
      id: 'bundled',
      lastError: { code: 'unknown_key' },
    });
  });
});

describe('the production fetch', () => {
  it('refuses loopback and plain http unless that exact host:port is allowed', async () => {
    const publisher = keyPair();
    routes.set('/c.json', { status: 200, body: envelope(publisher.privateKey, 1, ['alpha']) });
    const store = open({ fetch: createStoreFetch() });
    const result = await store.add(`${base}/c.json`, publisher.publicKey);
    expect(result).toMatchObject({ ok: false, error: { code: 'fetch_failed' } });
    if (!result.ok) expect(result.error.message).toContain('plain http is refused');

    const https = await createStoreFetch()
      .call(null, `https://${allow}/c.json`)
      .catch((e: Error) => e);
    expect(https).toBeInstanceOf(Error);
    expect((https as Error).message).toContain('a loopback address');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
