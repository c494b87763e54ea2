import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import semver from 'semver';
import {
  BUNDLED_ARCHIVE_PREFIX,
  BUNDLED_CATALOG_ID,
  type CatalogPlugin,
} from '../../../shared/catalog';
import { CustodianError } from '../../../shared/errors';
import type { PluginManifest } from '../../../shared/manifest';
import { ARCHIVE_LIMITS } from '../../../shared/plugin-archive';
import type { PluginInfo } from '../../../shared/plugins';
import type {
  CatalogSourceInfo,
  InstallPlan,
  InstallSource,
  RefreshResult,
  StoreEntry,
  Trust,
} from '../../../shared/store';
import { checkImports, detectAbi, ModuleRefused } from '../../../shared/wasm-imports';
import type { PluginRegistry } from '../plugins/plugin-registry';
import { ArchiveError } from './archive/errors';
import { readPluginArchive, type PluginArchive } from './archive/read-archive';
import { parseSignature, SignatureError, verifyArchive } from './archive/signing';
import { catalogCredentialTypes, catalogTools } from './catalog/catalog-entry';
import type { CatalogFailure, CatalogStore, StoreFetch } from './catalog/catalog-store';
import { describeChanges, pluginChanges, type PluginShape } from './plugin-changes';
import { StoreError } from './store-error';
import type { BundledStore } from './store-options';

// The plugin store: what the catalogs offer, and installing it. Installing is
// two steps so the person agrees to what was actually checked: prepare()
// downloads the archive, checks its size and sha256 against the signed
// catalog (or its signature against a trusted key), reads it with every
// archive check, validates the module and its imports against what it asks
// for, and answers a plan; install() with the plan's token puts it in place.
// Nothing reaches the plugins folder before install(), and the installed
// version keeps working until then.

export interface PluginStoreOptions {
  catalogs: CatalogStore;
  registry: PluginRegistry;
  fetch: StoreFetch;
  appVersion: string;
  bundled?: BundledStore | null;
  now?: () => Date;
  /** A catalog source was added, removed or refreshed. */
  onCatalogsChanged?: () => void;
}

export type Progress = (received: number, total: number | null) => void;

export interface InstallChoices {
  allowUnsigned?: boolean;
  allowDowngrade?: boolean;
}

interface Pending {
  plan: InstallPlan;
  archive: PluginArchive;
  /** Where it came from, written to the plugin's record. */
  source: string;
  catalogId?: string;
  createdAt: number;
}

interface Fetched {
  archive: PluginArchive;
  /** The archive file itself. */
  bytes: Buffer;
  trust: Trust;
  from: string;
  source: string;
  catalogId?: string;
}

/** An archive may be 32 MiB: a slow link gets two minutes. */
const ARCHIVE_FETCH_TIMEOUT_MS = 120_000;
/** A plan is kept this long for the person to decide, then forgotten. */
const PLAN_TTL_MS = 15 * 60_000;
/** Plans hold whole archives in memory: only a few at a time. */
const MAX_PLANS = 4;

export class PluginStore {
  private readonly plans = new Map<string, Pending>();

  constructor(private readonly options: PluginStoreOptions) {}

  private get now(): number {
    return (this.options.now?.() ?? new Date()).getTime();
  }

  // ----- catalogs -----

  listCatalogs(): Promise<CatalogSourceInfo[]> {
    return this.options.catalogs.list();
  }

  async addCatalog(url: string, publicKey: string): Promise<CatalogSourceInfo> {
    const result = await this.options.catalogs.add(url, publicKey);
    if (!result.ok) throw catalogRefusal(result.error);
    this.options.onCatalogsChanged?.();
    return result.source;
  }

  async removeCatalog(id: string): Promise<{ id: string }> {
    const result = await this.options.catalogs.remove(id);
    if (!result.ok) throw catalogRefusal(result.error);
    this.options.onCatalogsChanged?.();
    return { id };
  }

  /** One source, or every remote one; refusals are results, not errors (the old copy stays). */
  async refresh(id?: string): Promise<RefreshResult[]> {
    const results =
      id === undefined
        ? await this.options.catalogs.refreshAll()
        : [await this.options.catalogs.refresh(id)];
    if (results.length === 1 && !results[0]?.ok && results[0]?.error.code === 'not_found')
      throw new CustodianError('NOT_FOUND', results[0].error.message);
    this.options.onCatalogsChanged?.();
    return results;
  }

  // ----- browsing -----

  /** Each catalog's highest version of each plugin, with what is installed and what an update changes. */
  async browse(): Promise<StoreEntry[]> {
    const [entries, sources] = await Promise.all([
      this.options.catalogs.plugins(),
      this.options.catalogs.list(),
    ]);
    const names = new Map(sources.map((s) => [s.id, s.name ?? s.url]));
    const installed = new Map(this.options.registry.list().map((p) => [p.name, p]));
    const best = new Map<string, { catalogId: string; plugin: CatalogPlugin }>();
    for (const entry of entries) {
      const key = `${entry.catalogId}\n${entry.plugin.name}`;
      const current = best.get(key);
      if (!current || semver.gt(entry.plugin.version, current.plugin.version)) best.set(key, entry);
    }
    return [...best.values()].map(({ catalogId, plugin }) => {
      const mine = installed.get(plugin.name);
      const fromHere = mine?.catalogId === catalogId;
      return {
        name: plugin.name,
        version: plugin.version,
        description: plugin.description,
        author: plugin.author,
        catalogId,
        catalogName: names.get(catalogId) ?? catalogId,
        credentialTypes: plugin.credential_types,
        tools: plugin.tools,
        capabilities: plugin.capabilities,
        size: plugin.archive.size,
        sha256: plugin.archive.sha256,
        installed: mine
          ? {
              version: mine.version,
              enabled: mine.enabled,
              status: mine.status,
              source: mine.source,
              development: mine.development,
            }
          : null,
        update:
          mine && fromHere && isNewer(plugin.version, mine.version)
            ? {
                version: plugin.version,
                changes: pluginChanges(shapeOfInfo(mine), shapeOfCatalog(plugin)),
              }
            : null,
      };
    });
  }

  // ----- installing -----

  /** Downloads and checks an archive, and answers what installing it would do. Changes nothing. */
  async prepare(source: InstallSource, progress?: Progress): Promise<InstallPlan> {
    if (!this.options.registry.isActive())
      throw new CustodianError('VAULT_LOCKED', 'Unlock Custodian to install plugins.');
    const fetched = await this.fetchArchive(source, progress);
    const { manifest } = fetched.archive;
    checkModule(fetched.archive);
    const installed = this.options.registry.list().find((p) => p.name === manifest.plugin.name);
    const version = manifest.plugin.version;
    const action: InstallPlan['action'] = !installed
      ? 'install'
      : semver.valid(installed.version) && semver.lt(version, installed.version)
        ? 'downgrade'
        : isNewer(version, installed.version)
          ? 'update'
          : 'reinstall';
    const plan: InstallPlan = {
      token: randomBytes(16).toString('hex'),
      name: manifest.plugin.name,
      version,
      description: manifest.plugin.description,
      author: manifest.plugin.author,
      from: fetched.from,
      trust: fetched.trust,
      action,
      installedVersion: installed?.version ?? null,
      capabilities: manifest.capabilities,
      credentialTypes: catalogCredentialTypes(manifest),
      tools: catalogTools(manifest),
      changes: installed ? pluginChanges(shapeOfInfo(installed), shapeOfManifest(manifest)) : null,
      size: fetched.bytes.length,
      sha256: fetched.archive.sha256,
    };
    this.keep({
      plan,
      archive: fetched.archive,
      source: fetched.source,
      catalogId: fetched.catalogId,
      createdAt: this.now,
    });
    return plan;
  }

  /** The person agreed to a plan: it is put in place and loaded, replacing an installed version. */
  async install(token: string, choices: InstallChoices = {}): Promise<PluginInfo> {
    const pending = this.take(token);
    const { plan, archive } = pending;
    if (plan.trust.kind === 'unsigned' && !choices.allowUnsigned)
      throw new StoreError(
        'unsigned',
        `${plan.from} is not vouched for by any catalog you trust (${plan.trust.reason}); install it only if you trust where it came from, and confirm that explicitly.`,
      );
    if (plan.action === 'downgrade' && !choices.allowDowngrade)
      throw new StoreError(
        'downgrade',
        `Version ${plan.version} of "${plan.name}" is older than the installed ${plan.installedVersion ?? ''}; a downgrade must be asked for explicitly.`,
      );
    const installed = this.options.registry.list().find((p) => p.name === plan.name);
    if ((installed?.version ?? null) !== plan.installedVersion)
      throw new StoreError(
        'refused',
        `"${plan.name}" changed while you were deciding; start the install again.`,
      );
    return this.options.registry.installFiles(withoutDescriptor(archive), archive.manifest, {
      source: pending.source,
      catalogId: pending.catalogId,
      granted: archive.manifest.capabilities,
      replace: installed !== undefined,
      // An update keeps the person's choices: off stays off, a lower time limit stays.
      enabled: installed?.enabled ?? true,
      ...(installed ? this.kept(plan.name) : {}),
    });
  }

  cancel(token: string): boolean {
    return this.plans.delete(token);
  }

  /**
   * Prepares and installs in one go, for the CLI: running the command is the
   * operator's consent to what it prints, except an update that needs fresh
   * consent, which also needs acceptChanges.
   */
  async installNow(
    source: InstallSource,
    choices: InstallChoices & { acceptChanges?: boolean },
  ): Promise<Omit<InstallPlan, 'token'>> {
    const plan = await this.prepare(source);
    if (plan.changes?.needsConsent && !choices.acceptChanges) {
      this.cancel(plan.token);
      throw new StoreError(
        'consent_required',
        `Version ${plan.version} of "${plan.name}" changes what it may do:\n  ${describeChanges(plan.changes).join('\n  ')}\nVersion ${plan.installedVersion ?? ''} stays installed until this is accepted.`,
      );
    }
    await this.install(plan.token, choices);
    return withoutToken(plan);
  }

  /** To the highest version the plugin's own catalog lists. */
  async update(
    name: string,
    choices: { acceptChanges?: boolean },
  ): Promise<{
    updated: boolean;
    from: string;
    to: string;
    plan: Omit<InstallPlan, 'token'> | null;
  }> {
    const installed = this.options.registry.list().find((p) => p.name === name);
    if (!installed) throw new CustodianError('NOT_FOUND', `No plugin named "${name}" is installed`);
    if (!installed.catalogId)
      throw new StoreError(
        'refused',
        `"${name}" was not installed from a catalog (${installed.source}); install the new version the same way.`,
      );
    const candidate = await this.highest(name, installed.catalogId);
    if (!candidate)
      throw new CustodianError(
        'NOT_FOUND',
        `The catalog "${name}" came from no longer lists it (or was removed).`,
      );
    if (!isNewer(candidate.version, installed.version))
      return { updated: false, from: installed.version, to: installed.version, plan: null };
    const plan = await this.installNow(
      { kind: 'catalog', catalogId: installed.catalogId, name, version: candidate.version },
      { acceptChanges: choices.acceptChanges },
    );
    return { updated: true, from: installed.version, to: plan.version, plan };
  }

  // ----- inside -----

  private keep(pending: Pending): void {
    for (const [token, old] of this.plans)
      if (this.now - old.createdAt > PLAN_TTL_MS) this.plans.delete(token);
    while (this.plans.size >= MAX_PLANS) {
      const oldest = this.plans.keys().next().value;
      if (oldest === undefined) break;
      this.plans.delete(oldest);
    }
    this.plans.set(pending.plan.token, pending);
  }

  private take(token: string): Pending {
    const pending = this.plans.get(token);
    this.plans.delete(token);
    if (!pending || this.now - pending.createdAt > PLAN_TTL_MS)
      throw new CustodianError(
        'NOT_FOUND',
        'This install was cancelled or has expired; start it again.',
      );
    return pending;
  }

  /** What an update carries over from the installed record. */
  private kept(name: string): { allowPrivate?: string[]; timeoutMs?: number } {
    const loaded = this.options.registry.get(name);
    if (!loaded) return {};
    return {
      allowPrivate: loaded.record.allowPrivate,
      ...(loaded.record.timeoutMs !== undefined ? { timeoutMs: loaded.record.timeoutMs } : {}),
    };
  }

  private async highest(
    name: string,
    catalogId?: string,
    version?: string,
  ): Promise<(CatalogPlugin & { catalogId: string }) | undefined> {
    let best: (CatalogPlugin & { catalogId: string }) | undefined;
    for (const entry of await this.options.catalogs.plugins()) {
      if (entry.plugin.name !== name) continue;
      if (catalogId !== undefined && entry.catalogId !== catalogId) continue;
      if (version !== undefined && entry.plugin.version !== version) continue;
      // Bundled first: a later catalog wins only with a strictly higher version.
      if (!best || semver.gt(entry.plugin.version, best.version))
        best = { ...entry.plugin, catalogId: entry.catalogId };
    }
    return best;
  }

  private async fetchArchive(source: InstallSource, progress?: Progress): Promise<Fetched> {
    switch (source.kind) {
      case 'catalog':
      case 'name': {
        const catalogId = source.kind === 'catalog' ? source.catalogId : undefined;
        const entry = await this.highest(source.name, catalogId, source.version);
        if (!entry)
          throw new CustodianError(
            'NOT_FOUND',
            `No catalog${catalogId ? ` "${catalogId}"` : ''} lists ${source.name}${source.version ? ` ${source.version}` : ''}.`,
          );
        return this.fromCatalog(entry, progress);
      }
      case 'file':
        return this.fromFile(source.path);
      case 'url':
        return this.fromUrl(source.url, progress);
    }
  }

  private async fromCatalog(
    entry: CatalogPlugin & { catalogId: string },
    progress?: Progress,
  ): Promise<Fetched> {
    const sources = await this.options.catalogs.list();
    const catalogName = sources.find((s) => s.id === entry.catalogId)?.name ?? entry.catalogId;
    const where = `${entry.name} ${entry.version} from the catalog "${catalogName}"`;
    const { url, size, sha256 } = entry.archive;
    let bytes: Buffer;
    if (url.startsWith(BUNDLED_ARCHIVE_PREFIX)) {
      const bundled = this.options.bundled;
      if (entry.catalogId !== BUNDLED_CATALOG_ID || !bundled)
        throw new StoreError(
          'refused',
          `${where} names a bundled archive (${url}); only the catalog that ships with the app may.`,
        );
      bytes = await readFile(
        join(bundled.archivesDir, basename(url.slice(BUNDLED_ARCHIVE_PREFIX.length))),
      );
    } else {
      if (entry.catalogId === BUNDLED_CATALOG_ID)
        throw new StoreError(
          'refused',
          `${where}: the bundled catalog installs only what ships with the app.`,
        );
      bytes = await this.download(url, size, where, progress);
    }
    const archive = await this.read(bytes, where, { expectedSize: size, expectedSha256: sha256 });
    // The person is shown the catalog's description; the archive must say the same.
    const listed = shapeOfCatalog(entry);
    const actual = shapeOfManifest(archive.manifest);
    if (
      archive.manifest.plugin.name !== entry.name ||
      archive.manifest.plugin.version !== entry.version ||
      pluginChanges(listed, actual).needsConsent
    )
      throw new StoreError(
        'refused',
        `${where}: the archive (${archive.manifest.plugin.name} ${archive.manifest.plugin.version}) does not match what the catalog lists; nothing was installed.`,
      );
    return {
      archive,
      bytes,
      trust: { kind: 'catalog', catalogId: entry.catalogId, catalogName },
      from: `the catalog "${catalogName}"`,
      source: `catalog: ${catalogName}`,
      catalogId: entry.catalogId,
    };
  }

  private async fromFile(path: string): Promise<Fetched> {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new StoreError('refused', `${path} does not exist or cannot be read.`);
    }
    if (!info.isFile()) throw new StoreError('refused', `${path} is not a file.`);
    if (info.size > ARCHIVE_LIMITS.maxArchiveBytes)
      throw new StoreError(
        'refused',
        `${path} is ${info.size} bytes; a plugin archive may be at most ${ARCHIVE_LIMITS.maxArchiveBytes}.`,
      );
    const bytes = await readFile(path);
    const archive = await this.read(bytes, path, {});
    const signature = await readFile(`${path}.sig`, 'utf8').catch(() => null);
    const trust = await this.judgeSignature(bytes, signature, `${path}.sig`);
    const note = trust.kind === 'unsigned' ? ' (unsigned)' : '';
    return { archive, bytes, trust, from: path, source: `file: ${path}${note}` };
  }

  private async fromUrl(url: string, progress?: Progress): Promise<Fetched> {
    const bytes = await this.download(url, ARCHIVE_LIMITS.maxArchiveBytes, url, progress);
    const archive = await this.read(bytes, url, {});
    let signature: string | null = null;
    try {
      const response = await this.options.fetch(`${url}.sig`, { maxBytes: 4096 });
      if (response.status === 200) signature = response.body.toString('utf8');
    } catch {
      signature = null;
    }
    const trust = await this.judgeSignature(bytes, signature, `${url}.sig`);
    const note = trust.kind === 'unsigned' ? ' (unsigned)' : '';
    return { archive, bytes, trust, from: url, source: `url: ${url}${note}` };
  }

  /**
   * A signature by a trusted key vouches for a file; no signature, or one by a
   * key nobody trusts, leaves it unsigned (the person may still confirm). A
   * signature that does not match is refused outright: the file was changed.
   */
  private async judgeSignature(bytes: Buffer, text: string | null, where: string): Promise<Trust> {
    if (text === null) return { kind: 'unsigned', reason: `there is no signature at ${where}` };
    const keys = await this.options.catalogs.trustedKeys();
    try {
      const { keyId } = verifyArchive(
        bytes,
        parseSignature(text),
        keys.map((k) => k.publicKey),
      );
      const catalogName = keys.find((k) => k.keyId === keyId)?.catalogName ?? keyId;
      return { kind: 'signed', keyId, catalogName };
    } catch (error) {
      if (!(error instanceof SignatureError)) throw error;
      if (error.code === 'unknown_key')
        return { kind: 'unsigned', reason: `${error.message} by any catalog you added` };
      throw new StoreError('refused', `${where}: ${error.message}; nothing was installed.`);
    }
  }

  private async download(
    url: string,
    maxBytes: number,
    where: string,
    progress?: Progress,
  ): Promise<Buffer> {
    let response;
    try {
      response = await this.options.fetch(url, {
        maxBytes,
        timeoutMs: ARCHIVE_FETCH_TIMEOUT_MS,
        onProgress: (received, declared) => progress?.(received, declared ?? maxBytes),
      });
    } catch (error) {
      throw new StoreError(
        'refused',
        `Could not download ${where}: ${error instanceof Error ? error.message : String(error)}.`,
      );
    }
    if (response.status !== 200)
      throw new StoreError(
        'refused',
        `Could not download ${where}: the server answered HTTP ${response.status}.`,
      );
    return response.body;
  }

  private async read(
    bytes: Buffer,
    where: string,
    expected: { expectedSize?: number; expectedSha256?: string },
  ): Promise<PluginArchive> {
    try {
      return await readPluginArchive(bytes, { appVersion: this.options.appVersion, ...expected });
    } catch (error) {
      if (error instanceof ArchiveError)
        throw new StoreError('refused', `${where}: ${error.message}; nothing was installed.`);
      throw error;
    }
  }
}

/** The module must compile and import only what the plugin asks for (and will be granted). */
function checkModule(archive: PluginArchive): void {
  const { manifest } = archive;
  const wasm = archive.files.get(manifest.plugin.wasm_module);
  try {
    if (!wasm) throw new ModuleRefused('invalid-module', 'the module is missing');
    const module = new WebAssembly.Module(wasm);
    checkImports(module, detectAbi(module), {
      crypto: manifest.capabilities.crypto,
      log: manifest.capabilities.log,
      http: manifest.capabilities.http.length > 0,
    });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new StoreError(
      'refused',
      `${manifest.plugin.name} ${manifest.plugin.version}: ${why}; nothing was installed.`,
    );
  }
}

/** A plan as the CLI reports it: the token is spent. */
function withoutToken(plan: InstallPlan): Omit<InstallPlan, 'token'> {
  const rest: Partial<InstallPlan> = { ...plan };
  delete rest.token;
  return rest as Omit<InstallPlan, 'token'>;
}

function withoutDescriptor(archive: PluginArchive): Map<string, Buffer> {
  // The descriptor vouched for the files in transit; the folder holds the plugin itself.
  return new Map([...archive.files].filter(([name]) => name !== 'custodian-plugin.json'));
}

function isNewer(candidate: string, installed: string): boolean {
  return !semver.valid(installed) || semver.gt(candidate, installed);
}

function catalogRefusal(error: CatalogFailure): CustodianError {
  if (error.code === 'not_found') return new CustodianError('NOT_FOUND', error.message);
  return new StoreError('refused', error.message);
}

function shapeOfInfo(info: PluginInfo): PluginShape {
  return {
    capabilities: info.capabilities,
    tools: info.tools,
    credentialTypes: info.credentialTypes.map((t) => t.name),
  };
}

function shapeOfManifest(manifest: PluginManifest): PluginShape {
  return {
    capabilities: manifest.capabilities,
    tools: manifest.mcp_tools,
    credentialTypes: manifest.credential_types.map((t) => t.name),
  };
}

function shapeOfCatalog(plugin: CatalogPlugin): PluginShape {
  return {
    capabilities: plugin.capabilities,
    tools: plugin.tools,
    credentialTypes: plugin.credential_types.map((t) => t.name),
  };
}
