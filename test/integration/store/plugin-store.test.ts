import { createHash } from 'node:crypto';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { packPlugin } from '../../../electron/core/store/archive/pack';
import { readPluginArchive } from '../../../electron/core/store/archive/read-archive';
import { formatSignature, signArchive } from '../../../electron/core/store/archive/signing';
import { loadBundledStore } from '../../../electron/core/store/bundled-store';
import { HEADLESS_STORE } from '../../../electron/headless/headless-core';
import type { CatalogPlugin } from '../../../shared/catalog';
import type { StoreProgress } from '../../../shared/store';
import { makeTempDir, resultOf, startCore, type CoreFixture } from '../../support/core-fixture';
import { fixtureDir } from '../../support/plugin-fixtures';
import {
  catalogEntry,
  newPublisher,
  packFixture,
  signedCatalog,
  withVersion,
  type Publisher,
} from '../../support/store-fixtures';
import { startStoreServer, type StoreServer } from '../../support/store-server';
import {
  craftZip,
  entriesOf,
  REGULAR_ATTRIBUTES,
  SYMLINK_ATTRIBUTES,
  type CraftEntry,
} from '../../support/zip-craft';
import { CustodianError } from '../../../shared/errors';

// The store end to end: a real core (vault, keychain, plugin host), a real
// HTTP server on 127.0.0.1 serving catalogs and archives signed with keys made
// here, through the real checked fetch. Every refusal must leave the plugins
// folder exactly as it was, and an installed version working.

let server: StoreServer;
let publisher: Publisher;
let fixture: CoreFixture;
let sequence = 0;
const CATALOG = '/catalog.json';

beforeAll(async () => {
  server = await startStoreServer();
  publisher = newPublisher();
});
afterAll(() => server.close());

beforeEach(async () => {
  fixture = await startCore({
    store: { allowPrivate: [server.hostPort], bundled: null },
  });
  resultOf(await fixture.core.dispatch('vault:create', {}));
  return () => fixture.cleanup();
});

const store = () => fixture.core.store;
const pluginsDir = () => join(fixture.dataDir, 'plugins');

/** Publishes a catalog listing these entries, with the next sequence number. */
function publish(plugins: CatalogPlugin[], path = CATALOG, by: Publisher = publisher): void {
  sequence += 1;
  server.put(path, signedCatalog(by, { sequence, plugins }), 'application/json');
}

/** Serves an archive and answers its catalog entry. */
async function serve(archive: Buffer, path: string): Promise<CatalogPlugin> {
  server.put(path, archive);
  return catalogEntry(archive, server.url(path));
}

async function addCatalog(): Promise<string> {
  const source = await store().addCatalog(server.url(CATALOG), publisher.publicKey);
  return source.id;
}

/** Every file under the plugins folder with its sha256: "unchanged" means equal snapshots. */
async function snapshot(): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, prefix: string) => {
    let names: string[];
    try {
      names = (await readdir(dir)).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      try {
        const data = await readFile(path);
        out.push(`${prefix}${name} ${createHash('sha256').update(data).digest('hex')}`);
      } catch {
        await walk(path, `${prefix}${name}/`);
      }
    }
  };
  await walk(pluginsDir(), '');
  return out;
}

async function refusal(promise: Promise<unknown>): Promise<CustodianError> {
  const error = await promise.then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  );
  if (!(error instanceof CustodianError)) throw error;
  return error;
}

const toolNames = async () => (await fixture.core.agents.tools()).map((t) => t.name);

describe('install, update, downgrade, uninstall from a remote catalog', () => {
  it('lists, prepares without touching the folder, installs with progress, and the tool is there at once', async () => {
    publish([await serve(await packFixture('echo'), '/echo-1.0.0.zip')]);
    const catalogId = await addCatalog();
    const [entry] = await store().browse();
    expect(entry).toMatchObject({
      name: 'echo',
      version: '1.0.0',
      catalogId,
      catalogName: 'Test catalog',
      installed: null,
      update: null,
    });
    expect(entry?.tools.map((t) => t.name)).toEqual(['fixture_echo']);

    const before = await snapshot();
    const progress: StoreProgress[] = [];
    fixture.core.events.on('store:progress', (p) => progress.push(p));
    const plan = resultOf(
      await fixture.core.dispatch('store:prepare', {
        catalogId,
        name: 'echo',
        progressId: 'p1',
      }),
    );
    expect(plan).toMatchObject({
      name: 'echo',
      version: '1.0.0',
      action: 'install',
      trust: { kind: 'catalog', catalogId, catalogName: 'Test catalog' },
      installedVersion: null,
      changes: null,
    });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toEqual({ progressId: 'p1', received: plan.size, total: plan.size });
    expect(await snapshot()).toEqual(before);
    expect(await toolNames()).not.toContain('fixture_echo');

    const info = resultOf(await fixture.core.dispatch('store:install', { token: plan.token }));
    expect(info).toMatchObject({ name: 'echo', version: '1.0.0', status: 'loaded', catalogId });
    expect(await toolNames()).toContain('fixture_echo');
    const types = resultOf(await fixture.core.dispatch('credentialTypes:list', {}));
    expect(types.map((t) => t.name)).toContain('echo_token');
    const [after] = await store().browse();
    expect(after?.installed).toMatchObject({ version: '1.0.0', enabled: true, status: 'loaded' });
    // A token is good once.
    const again = await fixture.core.dispatch('store:install', { token: plan.token });
    expect('error' in again && again.error.code).toBe('not_found');
  });

  it('offers an update with what changes, asks again when it widens capabilities, and refuses a downgrade unless asked', async () => {
    const v1 = await serve(await packFixture('echo'), '/echo-1.0.0.zip');
    publish([v1]);
    const catalogId = await addCatalog();
    await store().installNow({ kind: 'name', name: 'echo' }, {});

    // 1.1.0 changes nothing the person agreed to: no fresh consent needed.
    const v11 = await serve(await packFixture('echo', withVersion('1.1.0')), '/echo-1.1.0.zip');
    publish([v1, v11]);
    expect((await store().refresh(catalogId))[0]).toMatchObject({ ok: true, changed: true });
    const [offered] = await store().browse();
    expect(offered?.update?.version).toBe('1.1.0');
    expect(offered?.update?.changes.needsConsent).toBe(false);
    expect(await store().update('echo', {})).toMatchObject({
      updated: true,
      from: '1.0.0',
      to: '1.1.0',
    });
    expect(fixture.core.plugins.get('echo')?.manifest.plugin.version).toBe('1.1.0');

    // 2.0.0 asks to reach a new host and rewords its tool: the person must agree again.
    const widened = (toml: string) =>
      `${withVersion('2.0.0')(toml)}\n[capabilities]\nhttp = ["api.example.com"]\n`.replace(
        'Echo the parameters back.',
        'Echo the parameters back, and send them on.',
      );
    const v2 = await serve(await packFixture('echo', widened), '/echo-2.0.0.zip');
    publish([v1, v11, v2]);
    await store().refresh(catalogId);
    const [wider] = await store().browse();
    expect(wider?.update?.changes).toMatchObject({
      addedCapabilities: { http: ['api.example.com'] },
      changedTools: [
        {
          name: 'fixture_echo',
          before: 'Echo the parameters back.',
          after: 'Echo the parameters back, and send them on.',
        },
      ],
      needsConsent: true,
    });
    const before = await snapshot();
    const refused = await refusal(store().update('echo', {}));
    expect(refused.code).toBe('consent_required');
    expect(refused.message).toContain('new: may send HTTPS requests to api.example.com');
    expect(refused.message).toContain('Version 1.1.0 stays installed');
    expect(await snapshot()).toEqual(before);
    expect(fixture.core.plugins.get('echo')?.manifest.plugin.version).toBe('1.1.0');
    await store().update('echo', { acceptChanges: true });
    expect(fixture.core.plugins.get('echo')?.record.granted.http).toEqual(['api.example.com']);

    // Back to 1.0.0 only when asked for explicitly.
    const plan = await store().prepare({
      kind: 'catalog',
      catalogId,
      name: 'echo',
      version: '1.0.0',
    });
    expect(plan).toMatchObject({ action: 'downgrade', installedVersion: '2.0.0' });
    const beforeDowngrade = await snapshot();
    expect((await refusal(store().install(plan.token))).code).toBe('downgrade');
    expect(await snapshot()).toEqual(beforeDowngrade);
    const again = await store().prepare({
      kind: 'catalog',
      catalogId,
      name: 'echo',
      version: '1.0.0',
    });
    await store().install(again.token, { allowDowngrade: true });
    expect(fixture.core.plugins.get('echo')?.manifest.plugin.version).toBe('1.0.0');

    // Uninstall: gone from the folder and from the agent's tools.
    await fixture.core.dispatch('plugins:uninstall', { name: 'echo' });
    expect(await snapshot()).toEqual([]);
    expect(await toolNames()).not.toContain('fixture_echo');
    expect((await store().browse())[0]?.installed).toBeNull();
  });

  it('keeps the old version when the new one does not load', async () => {
    // "loop-start" 1.0.0 runs echo's module; 2.0.0 is the real one, whose start never returns.
    const dir = join(await makeTempDir('custodian-rollback-'), 'loop-start');
    await cp(fixtureDir('loop-start'), dir, { recursive: true });
    await cp(join(fixtureDir('echo'), 'plugin.wasm'), join(dir, 'plugin.wasm'));
    const good = await serve(await packPlugin(dir), '/loop-1.0.0.zip');
    const bad = await serve(
      await packFixture('loop-start', withVersion('2.0.0')),
      '/loop-2.0.0.zip',
    );
    publish([good]);
    const catalogId = await addCatalog();
    await store().installNow({ kind: 'catalog', catalogId, name: 'loop-start' }, {});
    expect(fixture.core.plugins.get('loop-start')?.manifest.plugin.version).toBe('1.0.0');
    publish([good, bad]);
    await store().refresh(catalogId);
    const before = await snapshot();
    const error = await store()
      .update('loop-start', {})
      .then(
        () => null,
        (e: Error) => e,
      );
    expect(error?.message).toMatch(/Version 2\.0\.0 of "loop-start" did not load .*stays in place/);
    expect(await snapshot()).toEqual(before);
    expect(fixture.core.plugins.get('loop-start')?.manifest.plugin.version).toBe('1.0.0');
  }, 30_000);
});

describe('hostile archives are refused and the plugins folder is unchanged', () => {
  let echoFiles: Map<string, Buffer>;
  beforeAll(async () => {
    ({ files: echoFiles } = await readPluginArchive(await packFixture('echo'), {
      appVersion: '999.0.0',
    }));
  });

  /** A catalog honestly listing (right size and hash) an archive whose contents are hostile. */
  async function attempt(archive: Buffer, entryEdit?: (e: CatalogPlugin) => CatalogPlugin) {
    const honest = await catalogEntry(await packFixture('echo'), server.url('/evil.zip'));
    server.put('/evil.zip', archive);
    const entry = {
      ...honest,
      archive: {
        ...honest.archive,
        size: archive.length,
        sha256: createHash('sha256').update(archive).digest('hex'),
      },
    };
    publish([entryEdit ? entryEdit(entry) : entry]);
    const catalogId = await addCatalog();
    const before = await snapshot();
    const error = await refusal(store().prepare({ kind: 'catalog', catalogId, name: 'echo' }));
    expect(error.code).toBe('refused');
    expect(await snapshot()).toEqual(before);
    expect(fixture.core.plugins.list()).toEqual([]);
    return error.message;
  }

  const withEntry = (extra: CraftEntry) => craftZip([...entriesOf(echoFiles), extra]);

  it('path traversal', async () => {
    expect(await attempt(withEntry({ name: '../evil.txt', data: Buffer.from('x') }))).toMatch(
      /\.\./,
    );
  });

  it('an absolute path', async () => {
    expect(await attempt(withEntry({ name: '/tmp/evil.txt', data: Buffer.from('x') }))).toMatch(
      /absolute/,
    );
  });

  it('a symlink', async () => {
    const message = await attempt(
      withEntry({
        name: 'README.md',
        data: Buffer.from('/etc/passwd'),
        externalAttributes: SYMLINK_ATTRIBUTES,
      }),
    );
    expect(message).toMatch(/link/);
  });

  it('a zip bomb', async () => {
    // 64 MiB of zeros deflate to about 64 KiB: over the total size cap once inflated.
    const zeros = Buffer.alloc(64 * 1024 * 1024);
    expect(deflateRawSync(zeros).length).toBeLessThan(1024 * 1024);
    const message = await attempt(
      withEntry({ name: 'README.md', data: zeros, externalAttributes: REGULAR_ATTRIBUTES }),
    );
    expect(message).toMatch(/bytes|large|limit/);
  });

  it('too many entries', async () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      name: `extra-${i}.txt`,
      data: Buffer.from('x'),
    }));
    expect(await attempt(craftZip([...entriesOf(echoFiles), ...many]))).toMatch(/entries/);
  });

  it('a duplicate name', async () => {
    const message = await attempt(
      withEntry({ name: 'plugin.toml', data: echoFiles.get('plugin.toml') }),
    );
    expect(message).toMatch(/twice|duplicate/);
  });

  it('a wrong sha256', async () => {
    const archive = await packFixture('echo');
    const message = await attempt(archive, (e) => ({
      ...e,
      archive: { ...e.archive, sha256: 'a'.repeat(64) },
    }));
    expect(message).toContain('sha256');
  });

  it('a wrong size', async () => {
    const archive = await packFixture('echo');
    const message = await attempt(archive, (e) => ({
      ...e,
      archive: { ...e.archive, size: e.archive.size + 1 },
    }));
    expect(message).toMatch(/bytes/);
  });

  it('an archive asking for more than its catalog entry shows', async () => {
    const wider = await packFixture(
      'echo',
      (toml) => `${toml}\n[capabilities]\nhttp = ["evil.example"]\n`,
    );
    expect(await attempt(wider)).toMatch(/does not match what the catalog lists/);
  });

  it('a module importing a host function its plugin does not ask for', async () => {
    // crypto-probe imports custodian_crypto; this copy's manifest no longer asks for crypto.
    const archive = await packFixture('crypto-probe', (toml) =>
      toml.replace('crypto = true', 'crypto = false'),
    );
    const entry = await catalogEntry(archive, server.url('/probe.zip'));
    server.put('/probe.zip', archive);
    publish([entry]);
    const catalogId = await addCatalog();
    const before = await snapshot();
    const error = await refusal(
      store().prepare({ kind: 'catalog', catalogId, name: 'crypto-probe' }),
    );
    expect(error.message).toMatch(/crypto/);
    expect(await snapshot()).toEqual(before);
  });

  it('a remote catalog naming a bundled archive, and a redirect to another host', async () => {
    const bundledName = await catalogEntry(await packFixture('echo'), 'bundled:echo-1.0.0.zip');
    publish([bundledName]);
    const catalogId = await addCatalog();
    const error = await refusal(store().prepare({ kind: 'catalog', catalogId, name: 'echo' }));
    expect(error.message).toMatch(/only the catalog that ships with the app/);

    const archive = await packFixture('echo');
    const elsewhere = server.url('/elsewhere.zip').replace('127.0.0.1', 'localhost');
    server.put('/elsewhere.zip', archive);
    server.redirect('/moved.zip', elsewhere);
    publish([await catalogEntry(archive, server.url('/moved.zip'))]);
    await store().refresh(catalogId);
    const before = await snapshot();
    const moved = await refusal(store().prepare({ kind: 'catalog', catalogId, name: 'echo' }));
    expect(moved.message).toMatch(/localhost/);
    expect(await snapshot()).toEqual(before);
    expect(server.requests).not.toContain('/elsewhere.zip');
  });
});

describe('refused catalogs keep the previous copy, and nothing is installed from them', () => {
  it('bad signature, unknown key, expired, rolled back', async () => {
    const v1 = await serve(await packFixture('echo'), '/echo-1.0.0.zip');
    const v11 = await serve(await packFixture('echo', withVersion('1.1.0')), '/echo-1.1.0.zip');
    publish([v1]);
    const catalogId = await addCatalog();
    await store().installNow({ kind: 'name', name: 'echo' }, {});
    const before = await snapshot();
    const accepted = sequence;

    const attempts: [string, () => void, RegExp][] = [
      [
        'bad signature',
        () => {
          const envelope = JSON.parse(
            signedCatalog(publisher, { sequence: sequence + 1, plugins: [v1, v11] }),
          ) as {
            body: string;
          };
          envelope.body = envelope.body.replace('"Test catalog"', '"Evil catalog"');
          server.put(CATALOG, JSON.stringify(envelope));
        },
        /signature that does not match/,
      ],
      ['unknown key', () => publish([v1, v11], CATALOG, newPublisher()), /not the key you added/],
      [
        'expired',
        () =>
          server.put(
            CATALOG,
            signedCatalog(publisher, {
              sequence: sequence + 10,
              expires: '2020-01-01T00:00:00Z',
              plugins: [v1, v11],
            }),
          ),
        /expired/,
      ],
      [
        'rolled back',
        () =>
          server.put(
            CATALOG,
            signedCatalog(publisher, { sequence: accepted - 1 || 0, plugins: [v1, v11] }),
          ),
        /sequence/,
      ],
    ];
    for (const [what, serveIt, message] of attempts) {
      serveIt();
      const [result] = await store().refresh(catalogId);
      expect(result?.ok, what).toBe(false);
      if (result && !result.ok) expect(result.error.message, what).toMatch(message);
      // The copy in use still lists only 1.0.0: no update is offered from the refused one.
      const [entry] = await store().browse();
      expect(entry?.version, what).toBe('1.0.0');
      expect(entry?.update, what).toBeNull();
      expect((await store().update('echo', {})).updated, what).toBe(false);
      expect(await snapshot(), what).toEqual(before);
    }
  });
});

describe('local archives: signed by a trusted key, or confirmed as unsigned', () => {
  it('refuses an unsigned file unless allowed, trusts a catalog key, and refuses a tampered one', async () => {
    publish([]);
    await addCatalog();
    const dir = await makeTempDir('custodian-local-');
    const path = join(dir, 'echo.zip');
    const archive = await packFixture('echo');
    await writeFile(path, archive);

    const before = await snapshot();
    const unsigned = await store().prepare({ kind: 'file', path });
    expect(unsigned.trust).toMatchObject({ kind: 'unsigned' });
    expect((await refusal(store().install(unsigned.token))).code).toBe('unsigned');
    expect(await snapshot()).toEqual(before);

    // Signed by a key nobody added: still unsigned.
    const stranger = newPublisher();
    await writeFile(`${path}.sig`, formatSignature(signArchive(archive, stranger.privateKey)));
    expect((await store().prepare({ kind: 'file', path })).trust).toMatchObject({
      kind: 'unsigned',
    });

    // Signed by the catalog's publisher: vouched for.
    await writeFile(`${path}.sig`, formatSignature(signArchive(archive, publisher.privateKey)));
    const signed = await store().prepare({ kind: 'file', path });
    expect(signed.trust).toEqual({
      kind: 'signed',
      keyId: publisher.keyId,
      catalogName: 'Test catalog',
    });

    // The file changed after signing: refused outright.
    await writeFile(path, await packFixture('echo', withVersion('1.0.1')));
    const error = await refusal(store().prepare({ kind: 'file', path }));
    expect(error.message).toMatch(/does not match/);
    expect(await snapshot()).toEqual(before);

    // Back to the signed file: installs, marked by where it came from.
    await writeFile(path, archive);
    const ok = await store().prepare({ kind: 'file', path });
    const info = await store().install(ok.token);
    expect(info.source).toBe(`file: ${path}`);
  });
});

describe('the bundled catalog', () => {
  it('lists the first-party plugins offline and installs one from the app itself', async () => {
    const bundled = await loadBundledStore(HEADLESS_STORE);
    if (!bundled)
      throw new Error('out/store is missing: run `npm run store:build` (npm test does)');
    const offline = await startCore({ store: { bundled, allowPrivate: [] } });
    try {
      resultOf(await offline.core.dispatch('vault:create', {}));
      const [catalog] = await offline.core.store.listCatalogs();
      expect(catalog).toMatchObject({ id: 'bundled', bundled: true, name: 'Custodian plugins' });
      const pgp = (await offline.core.store.browse()).find((e) => e.name === 'pgp-signing');
      expect(pgp).toMatchObject({ catalogId: 'bundled', installed: null });
      const plan = await offline.core.store.prepare({
        kind: 'catalog',
        catalogId: 'bundled',
        name: 'pgp-signing',
      });
      expect(plan.trust).toEqual({
        kind: 'catalog',
        catalogId: 'bundled',
        catalogName: 'Custodian plugins',
      });
      const info = await offline.core.store.install(plan.token);
      expect(info.status).toBe('loaded');
      const types = resultOf(await offline.core.dispatch('credentialTypes:list', {}));
      expect(types.some((t) => t.source === 'plugin:pgp-signing')).toBe(true);
    } finally {
      await offline.cleanup();
    }
  });
});
