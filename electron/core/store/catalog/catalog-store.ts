import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  BUNDLED_CATALOG_ID,
  catalogSourceSchema,
  catalogSourcesFileSchema,
  type CatalogBody,
  type CatalogPlugin,
  type CatalogSource,
} from '../../../../shared/catalog';
import { Sequencer } from '../../../../shared/base/sequencer';
import { isCustodianError } from '../../../../shared/errors';
import type { CatalogSourceInfo, RefreshResult } from '../../../../shared/store';
import { readFileIfExists, writeFileAtomic, type FileSystem } from '../../files/atomic-file';
import {
  CatalogError,
  decodePublicKey,
  KEEP_PREVIOUS,
  keyIdOf,
  openCatalog,
  verifyCatalog,
} from './catalog-signing';

// The catalogs the plugin store lists: one bundled with the app, and remote
// ones people add by URL and public key. Each source keeps the last envelope
// it accepted, byte for byte, in store/catalogs/<id>.json; a refresh that is
// refused for any reason (network, signature, expiry, rollback) leaves that
// copy in use. Sources live in store/catalogs.json.

export interface StoreFetchResponse {
  status: number;
  body: Buffer;
}
export interface StoreFetchCall {
  /** Refuse a body larger than this (default: a catalog's cap). */
  maxBytes?: number;
  onProgress?: (received: number, declared: number | null) => void;
  /** The whole download's limit (default: a catalog's). */
  timeoutMs?: number;
}
/** Fetches a store URL (catalog, archive, signature); throws on network trouble. Production: store-fetch.ts. */
export type StoreFetch = (url: string, call?: StoreFetchCall) => Promise<StoreFetchResponse>;

export interface BundledCatalog {
  /** The signed envelope text shipped with the app. */
  envelope: string;
  /** Base64 raw Ed25519 key it was signed with, also shipped with the app. */
  publicKey: string;
}

export interface CatalogStoreOptions {
  /** The app's data folder; catalogs go under <dataDir>/store. */
  dataDir: string;
  fs: FileSystem;
  fetch: StoreFetch;
  now?: () => Date;
  bundled?: BundledCatalog;
}

/** Why a catalog was refused: the shape shared/store.ts gives a source's lastError. */
export type CatalogFailure = NonNullable<CatalogSourceInfo['lastError']>;

export type CatalogResult<T> = ({ ok: true } & T) | { ok: false; error: CatalogFailure };

export interface CatalogPluginEntry {
  catalogId: string;
  plugin: CatalogPlugin;
}

interface Accepted {
  envelope: string;
  body: string;
  catalog: CatalogBody;
}

interface Loaded {
  sources: CatalogSource[];
  accepted: Map<string, Accepted>;
}

const BUNDLED_URL = 'app://custodian/bundled-catalog';
const NOT_ADDED = 'the catalog was not added';

export class CatalogStore {
  private readonly folder: string;
  private readonly sourcesPath: string;
  private readonly copiesFolder: string;
  private readonly now: () => Date;
  private loaded: Promise<Loaded> | null = null;
  private bundled: {
    accepted: Accepted | null;
    keyId: string;
    error: CatalogFailure | null;
  } | null = null;
  private readonly errors = new Map<string, CatalogFailure>();
  // Changes to the files run one at a time; fetches run outside this queue.
  private readonly changes = new Sequencer();

  constructor(private readonly options: CatalogStoreOptions) {
    this.folder = join(options.dataDir, 'store');
    this.sourcesPath = join(this.folder, 'catalogs.json');
    this.copiesFolder = join(this.folder, 'catalogs');
    this.now = options.now ?? (() => new Date());
  }

  /** Every source, the bundled one first. */
  async list(): Promise<CatalogSourceInfo[]> {
    const state = await this.state();
    const infos: CatalogSourceInfo[] = [];
    const bundled = this.bundledState();
    if (bundled)
      infos.push(
        this.info(
          { id: BUNDLED_CATALOG_ID, url: BUNDLED_URL, keyId: bundled.keyId, addedAt: null },
          bundled.accepted,
          true,
          bundled.error,
        ),
      );
    for (const source of state.sources)
      infos.push(
        this.info(
          source,
          state.accepted.get(source.id) ?? null,
          false,
          this.errors.get(source.id) ?? null,
        ),
      );
    return infos;
  }

  /** Every plugin in every accepted catalog, bundled first, with the catalog it came from. */
  async plugins(): Promise<CatalogPluginEntry[]> {
    const state = await this.state();
    const entries: CatalogPluginEntry[] = [];
    const bundled = this.bundledState()?.accepted;
    for (const plugin of bundled?.catalog.plugins ?? [])
      entries.push({ catalogId: BUNDLED_CATALOG_ID, plugin });
    for (const source of state.sources)
      for (const plugin of state.accepted.get(source.id)?.catalog.plugins ?? [])
        entries.push({ catalogId: source.id, plugin });
    return entries;
  }

  /**
   * Adds a remote catalog. It is fetched and verified first: a source whose
   * catalog cannot be checked is never recorded.
   */
  async add(url: string, publicKey: string): Promise<CatalogResult<{ source: CatalogSourceInfo }>> {
    try {
      const normalised = normaliseUrl(url);
      const rawKey = decodePublicKey(publicKey.trim());
      await this.refuseDuplicate(normalised);
      const text = await this.download(normalised, NOT_ADDED);
      const opened = verifyCatalog(text, {
        trustedKey: rawKey,
        now: this.now(),
        lastSequence: 0,
        origin: normalised,
        outcome: NOT_ADDED,
      });
      return await this.serial(async () => {
        const state = await this.state();
        await this.refuseDuplicate(normalised);
        const source = catalogSourceSchema.parse({
          id: randomBytes(8).toString('hex'),
          url: normalised,
          publicKey: rawKey.toString('base64'),
          keyId: keyIdOf(rawKey),
          addedAt: this.now().toISOString(),
        });
        const accepted = { envelope: text, ...opened };
        // The copy first, then the list: a crash in between leaves an unlisted
        // copy, which the next load sweeps away.
        await this.writeCopy(source.id, text);
        await this.writeSources([...state.sources, source]);
        state.sources.push(source);
        state.accepted.set(source.id, accepted);
        return { ok: true as const, source: this.info(source, accepted, false, null) };
      });
    } catch (error) {
      return { ok: false, error: failure(error, url, NOT_ADDED) };
    }
  }

  async remove(id: string): Promise<CatalogResult<object>> {
    if (id === BUNDLED_CATALOG_ID)
      return {
        ok: false,
        error: {
          code: 'not_removable',
          message: 'The bundled catalog is part of the app and cannot be removed.',
        },
      };
    return this.serial(async () => {
      const state = await this.state();
      const source = state.sources.find((s) => s.id === id);
      if (!source) return { ok: false as const, error: notFound(id) };
      const rest = state.sources.filter((s) => s.id !== id);
      // The list first, then the copy: a crash in between leaves an unlisted copy, swept on load.
      await this.writeSources(rest);
      state.sources = rest;
      state.accepted.delete(id);
      this.errors.delete(id);
      await this.options.fs.unlink(this.copyPath(id)).catch(ignoreMissing);
      return { ok: true as const };
    });
  }

  /** Fetches a source again; on any refusal the copy in use stays. */
  async refresh(id: string): Promise<RefreshResult> {
    if (id === BUNDLED_CATALOG_ID) {
      // Nothing to fetch: the bundled catalog changes with the app.
      const bundled = this.bundledState();
      if (bundled?.accepted)
        return { id, ok: true, changed: false, sequence: bundled.accepted.catalog.sequence };
      return { id, ok: false, error: bundled?.error ?? notFound(id) };
    }
    const source = (await this.state()).sources.find((s) => s.id === id);
    if (!source) return { id, ok: false, error: notFound(id) };
    let text: string;
    try {
      text = await this.download(source.url, KEEP_PREVIOUS);
    } catch (error) {
      return this.refused(id, failure(error, source.url));
    }
    return this.serial(async () => {
      const state = await this.state();
      // Removed while the fetch ran: nothing to update.
      if (!state.sources.some((s) => s.id === id)) return { id, ok: false, error: notFound(id) };
      const previous = state.accepted.get(id);
      try {
        const opened = verifyCatalog(text, {
          trustedKey: Buffer.from(source.publicKey, 'base64'),
          now: this.now(),
          lastSequence: previous?.catalog.sequence ?? 0,
          lastBody: previous?.body,
          origin: source.url,
        });
        const changed = opened.body !== previous?.body;
        if (changed) {
          await this.writeCopy(id, text);
          state.accepted.set(id, { envelope: text, ...opened });
        }
        this.errors.delete(id);
        return { id, ok: true as const, changed, sequence: opened.catalog.sequence };
      } catch (error) {
        return this.refused(id, failure(error, source.url));
      }
    });
  }

  /** Every publisher key the person trusts, with its catalog's name: a local archive signed by one is vouched for. */
  async trustedKeys(): Promise<{ keyId: string; publicKey: string; catalogName: string }[]> {
    const state = await this.state();
    const keys: { keyId: string; publicKey: string; catalogName: string }[] = [];
    const bundled = this.bundledState();
    if (bundled?.accepted && this.options.bundled)
      keys.push({
        keyId: bundled.keyId,
        publicKey: this.options.bundled.publicKey,
        catalogName: bundled.accepted.catalog.name,
      });
    for (const source of state.sources)
      keys.push({
        keyId: source.keyId,
        publicKey: source.publicKey,
        catalogName: state.accepted.get(source.id)?.catalog.name ?? source.url,
      });
    return keys;
  }

  /** Refreshes every remote source at once; one source failing does not stop the others. */
  async refreshAll(): Promise<RefreshResult[]> {
    const { sources } = await this.state();
    return Promise.all(sources.map((s) => this.refresh(s.id)));
  }

  private refused(id: string, error: CatalogFailure): RefreshResult {
    this.errors.set(id, error);
    return { id, ok: false, error };
  }

  private async refuseDuplicate(url: string): Promise<void> {
    const { sources } = await this.state();
    if (sources.some((s) => s.url === url))
      throw new CatalogError('duplicate', `The catalog ${url} is already in your list.`);
  }

  private async download(url: string, outcome: string): Promise<string> {
    let response: StoreFetchResponse;
    try {
      response = await this.options.fetch(url);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new CatalogError(
        'fetch_failed',
        `Could not fetch the catalog from ${url}: ${why}; ${outcome}.`,
      );
    }
    if (response.status !== 200)
      throw new CatalogError(
        'fetch_failed',
        `Could not fetch the catalog from ${url}: the server answered HTTP ${response.status}; ${outcome}.`,
      );
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(response.body);
    } catch {
      throw new CatalogError('malformed', `The catalog from ${url} is not UTF-8 text; ${outcome}.`);
    }
  }

  private info(
    source: Pick<CatalogSource, 'id' | 'url' | 'keyId'> & { addedAt: string | null },
    accepted: Accepted | null,
    bundled: boolean,
    lastError: CatalogFailure | null,
  ): CatalogSourceInfo {
    const catalog = accepted?.catalog;
    return {
      id: source.id,
      url: source.url,
      keyId: source.keyId,
      bundled,
      addedAt: source.addedAt,
      name: catalog?.name ?? null,
      sequence: catalog?.sequence ?? null,
      expires: catalog?.expires ?? null,
      stale: catalog ? Date.parse(catalog.expires) <= this.now().getTime() : false,
      pluginCount: catalog?.plugins.length ?? 0,
      lastError,
    };
  }

  /**
   * The bundled catalog is trusted as part of the app: its signature is still
   * checked (it catches a build that signed with the wrong key), but not its
   * expiry, so an old install keeps a working store offline.
   */
  private bundledState() {
    const bundled = this.options.bundled;
    if (!bundled) return null;
    if (!this.bundled) {
      try {
        const rawKey = decodePublicKey(bundled.publicKey);
        const keyId = keyIdOf(rawKey);
        try {
          const opened = openCatalog(bundled.envelope, rawKey, 'the app');
          this.bundled = {
            accepted: { envelope: bundled.envelope, ...opened },
            keyId,
            error: null,
          };
        } catch (error) {
          this.bundled = { accepted: null, keyId, error: failure(error, 'the app') };
        }
      } catch (error) {
        this.bundled = { accepted: null, keyId: '', error: failure(error, 'the app') };
      }
    }
    return this.bundled;
  }

  private state(): Promise<Loaded> {
    // A failed load is not cached: once the person fixes the file, the next call retries.
    this.loaded ??= this.load().catch((error: unknown) => {
      this.loaded = null;
      throw error;
    });
    return this.loaded;
  }

  private async load(): Promise<Loaded> {
    const { fs } = this.options;
    await fs.mkdir(this.copiesFolder, { recursive: true, mode: 0o700 });
    const raw = await readFileIfExists(fs, this.sourcesPath);
    let sources: CatalogSource[] = [];
    if (raw) {
      // A damaged list is not silently emptied: the person would lose their sources.
      const parsed = catalogSourcesFileSchema.safeParse(safeJson(raw.toString('utf8')));
      if (!parsed.success)
        throw new Error(`${this.sourcesPath} is damaged; fix or delete it to reset the catalogs`);
      sources = parsed.data.sources;
    }
    const accepted = new Map<string, Accepted>();
    for (const source of sources) {
      const text = await readFileIfExists(fs, this.copyPath(source.id));
      if (!text) continue;
      try {
        // Checked again on the way in; expiry and sequence were checked when it was accepted.
        const envelope = text.toString('utf8');
        const opened = openCatalog(envelope, Buffer.from(source.publicKey, 'base64'), source.url);
        accepted.set(source.id, { envelope, ...opened });
      } catch (error) {
        this.errors.set(source.id, failure(error, source.url));
      }
    }
    // Copies of removed sources and temp files of interrupted writes.
    const keep = new Set(sources.map((s) => `${s.id}.json`));
    for (const name of await fs.readdir(this.copiesFolder))
      if (!keep.has(name)) await fs.unlink(join(this.copiesFolder, name)).catch(ignoreMissing);
    return { sources, accepted };
  }

  private copyPath(id: string): string {
    return join(this.copiesFolder, `${id}.json`);
  }

  private async writeCopy(id: string, envelope: string): Promise<void> {
    await writeFileAtomic(this.copyPath(id), Buffer.from(envelope, 'utf8'), {
      fs: this.options.fs,
      backup: false,
    });
  }

  private async writeSources(sources: CatalogSource[]): Promise<void> {
    const text = `${JSON.stringify({ version: 1, sources }, null, 2)}\n`;
    await writeFileAtomic(this.sourcesPath, Buffer.from(text, 'utf8'), {
      fs: this.options.fs,
      backup: false,
    });
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    return this.changes.queue(task);
  }
}

function normaliseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new CatalogError('malformed', `"${url.slice(0, 200)}" is not a URL.`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new CatalogError(
      'malformed',
      `${parsed.protocol} URLs are not catalog addresses; use https.`,
    );
  if (parsed.username || parsed.password)
    throw new CatalogError('malformed', 'Catalog URLs must not contain a user name or password.');
  parsed.hash = '';
  return parsed.href;
}

function failure(error: unknown, origin: string, outcome = KEEP_PREVIOUS): CatalogFailure {
  if (error instanceof CatalogError) return { code: error.code, message: error.message };
  // The disk's words (describeFsError) already say what failed and where.
  if (isCustodianError(error, 'storage_failed'))
    return { code: 'not_saved', message: `${error.message} ${capitalized(outcome)}.` };
  const why = error instanceof Error ? error.message : String(error);
  return {
    code: 'fetch_failed',
    message: `The catalog from ${origin} could not be used: ${why}; ${outcome}.`,
  };
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function notFound(id: string): CatalogFailure {
  return { code: 'not_found', message: `There is no catalog with id ${id}.` };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
