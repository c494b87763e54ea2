import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { rawPublicKey, signCatalog } from '../../../electron/core/store/catalog/catalog-signing';
import {
  CatalogStore,
  type StoreFetchResponse,
} from '../../../electron/core/store/catalog/catalog-store';
import { catalogSourceSchema, catalogSourcesFileSchema } from '../../../shared/catalog';
import { eventually } from '../../support/eventually';

// What happens when changes overlap: fetches run outside the store's queue,
// so the store must re-check its state when a fetch comes back.

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const key = rawPublicKey(publicKey).toString('base64');
const catalog = (sequence: number) =>
  signCatalog(
    JSON.stringify({ name: 'C', sequence, expires: '2099-01-01T00:00:00Z', plugins: [] }),
    privateKey,
  );

/** A fetch whose answers the test releases by hand. */
function heldFetch() {
  const pending: ((response: StoreFetchResponse) => void)[] = [];
  return {
    fetch: () => new Promise<StoreFetchResponse>((resolve) => pending.push(resolve)),
    async release(text: string) {
      await eventually(() => pending.length > 0, { message: 'the store to fetch', intervalMs: 1 });
      pending.shift()?.({ status: 200, body: Buffer.from(text) });
    },
  };
}

let dataDir: string;
beforeEach(async () => {
  dataDir = await fs.mkdtemp(join(tmpdir(), 'custodian-catalog-unit-'));
});

describe('overlapping changes', () => {
  it('adds the same URL once when two adds race', async () => {
    const held = heldFetch();
    const store = new CatalogStore({ dataDir, fs, fetch: held.fetch });
    const first = store.add('https://c.example.com/c.json', key);
    const second = store.add('https://c.example.com/c.json', key);
    await held.release(catalog(1));
    await held.release(catalog(1));
    const results = await Promise.all([first, second]);
    expect(results.map((r) => r.ok).sort()).toEqual([false, true]);
    expect(results.find((r) => !r.ok)).toMatchObject({ error: { code: 'duplicate' } });
    expect(await store.list()).toHaveLength(1);
  });

  it('drops a refresh whose source was removed while it was fetching', async () => {
    const held = heldFetch();
    const store = new CatalogStore({ dataDir, fs, fetch: held.fetch });
    const adding = store.add('https://c.example.com/c.json', key);
    await held.release(catalog(1));
    const added = await adding;
    if (!added.ok) throw new Error(added.error.message);
    const refreshing = store.refresh(added.source.id);
    expect(await store.remove(added.source.id)).toEqual({ ok: true });
    await held.release(catalog(2));
    expect(await refreshing).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await fs.readdir(join(dataDir, 'store', 'catalogs'))).toEqual([]);
  });

  it('reports a fetch that throws as fetch_failed', async () => {
    const store = new CatalogStore({
      dataDir,
      fs,
      fetch: () => Promise.reject(new Error('connection reset')),
    });
    expect(await store.add('https://c.example.com/c.json', key)).toEqual({
      ok: false,
      error: {
        code: 'fetch_failed',
        message:
          'Could not fetch the catalog from https://c.example.com/c.json: connection reset; the catalog was not added.',
      },
    });
  });

  it('refuses a damaged sources file instead of silently forgetting the sources', async () => {
    await fs.mkdir(join(dataDir, 'store'), { recursive: true });
    await fs.writeFile(join(dataDir, 'store', 'catalogs.json'), '{broken');
    const store = new CatalogStore({ dataDir, fs, fetch: () => Promise.reject(new Error('x')) });
    await expect(store.list()).rejects.toThrow(/catalogs\.json is damaged/);
  });
});

describe('source records', () => {
  it('accepts a well-formed record and refuses odd ones', () => {
    const good = {
      id: '0123456789abcdef',
      url: 'https://c.example.com/c.json',
      publicKey: key,
      keyId: 'abcdef0123456789',
      addedAt: '2026-11-22T07:00:00.000Z',
    };
    expect(catalogSourceSchema.parse(good)).toEqual(good);
    for (const bad of [
      { ...good, id: '../etc' },
      { ...good, url: 'file:///etc/passwd' },
      { ...good, publicKey: 'short' },
      { ...good, keyId: 'ABCDEF0123456789' },
      { ...good, extra: 1 },
    ])
      expect(catalogSourceSchema.safeParse(bad).success).toBe(false);
    expect(catalogSourcesFileSchema.safeParse({ version: 1, sources: [good] }).success).toBe(true);
  });
});
