import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rawPublicKey, signCatalog } from '../../../electron/core/store/catalog/catalog-signing';
import { CatalogStore } from '../../../electron/core/store/catalog/catalog-store';
import { createStoreFetch } from '../../../electron/core/store/catalog/store-fetch';
import { FaultyFs } from '../../support/faulty-fs';
import { leftovers } from './fault-core';

// Issue 19, point 1: the disk fills up while a catalog refresh saves its new
// copy. The real catalog store and checked fetch against a server on
// 127.0.0.1; the fault comes through the store's file-system port.

let server: Server;
let served = '';
let url: string;
let allow: string;
beforeAll(async () => {
  server = createServer((_req, res) => res.writeHead(200).end(served));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}/catalog.json`;
  allow = `127.0.0.1:${port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it('a refresh that cannot save its copy keeps the previous one and says why', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const catalog = (sequence: number, plugins: string[]) =>
    signCatalog(
      JSON.stringify({
        name: 'Remote',
        sequence,
        expires: '2099-01-01T00:00:00Z',
        plugins: plugins.map((name) => ({
          name,
          version: '1.0.0',
          description: name,
          author: 'Test',
          credential_types: [],
          tools: [{ name: `${name}_run`, description: 'Runs' }],
          capabilities: { crypto: false, log: false, http: [] },
          archive: { url: `https://example.com/${name}.tgz`, size: 10, sha256: 'b'.repeat(64) },
        })),
      }),
      privateKey,
    );
  const dataDir = await mkdtemp(join(tmpdir(), 'custodian-catalog-'));
  const faults = new FaultyFs();
  const store = new CatalogStore({
    dataDir,
    fs: faults.port,
    fetch: createStoreFetch({ allowPrivate: [allow] }),
  });
  const names = async () => (await store.plugins()).map((e) => e.plugin.name);
  try {
    served = catalog(1, ['alpha']);
    const added = await store.add(url, rawPublicKey(publicKey).toString('base64'));
    if (!added.ok) throw new Error(added.error.message);
    const id = added.source.id;
    const copies = join(dataDir, 'store', 'catalogs');
    const copyBefore = await readFile(join(copies, `${id}.json`), 'utf8');

    served = catalog(2, ['alpha', 'beta']);
    faults.inject({ op: 'write', code: 'ENOSPC', where: (p) => p.includes(id) });
    expect(await store.refresh(id)).toEqual({
      id,
      ok: false,
      error: {
        code: 'not_saved',
        message: `No space left on the disk that holds ${copies}; nothing was saved. The previous copy stays in use.`,
      },
    });
    expect(await names()).toEqual(['alpha']);
    expect(await readFile(join(copies, `${id}.json`), 'utf8')).toBe(copyBefore);
    expect(await leftovers(dataDir)).toEqual([]);

    faults.clear();
    expect(await store.refresh(id)).toEqual({ id, ok: true, changed: true, sequence: 2 });
    expect(await names()).toEqual(['alpha', 'beta']);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
