import { CustodianError } from '../../../shared/errors';
import type { PluginInfo } from '../../../shared/plugins';
import type {
  CatalogSourceInfo,
  InstallPlan,
  InstallSource,
  RefreshResult,
  StoreEntry,
} from '../../../shared/store';
import type { PluginRegistry } from '../plugins/plugin-registry';
import type { PluginArchive } from './archive/read-archive';
import type { CatalogFailure, CatalogStore, StoreFetch } from './catalog/catalog-store';
import {
  checkConsent,
  InstallPlanner,
  withoutToken,
  type InstallChoices,
} from './install/install-planner';
import { isNewer } from './plugin-changes';
import { checkModule } from './sources/archive-checks';
import type { Progress, SourceContext } from './sources/archive-source';
import { fetchArchive } from './sources/fetch-archive';
import { highestListed } from './sources/listing';
import { browseStore } from './store-browse';
import type { BundledStore } from './store-options';

// The plugin store: what the catalogs offer, and installing it. Installing is
// two steps so the person agrees to what was actually checked: prepare()
// fetches the archive through the strategy for its source (sources/), checks
// it and answers a plan (install/install-planner.ts); install() with the
// plan's token puts it in place. Nothing reaches the plugins folder before
// install(), and the installed version keeps working until then. This class
// is the façade the window, the socket and the CLI call.

export type { InstallChoices } from './install/install-planner';
export type { Progress } from './sources/archive-source';

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

export class PluginStore {
  private readonly planner: InstallPlanner;
  private readonly sources: SourceContext;

  constructor(private readonly options: PluginStoreOptions) {
    this.planner = new InstallPlanner(() => (options.now?.() ?? new Date()).getTime());
    this.sources = {
      catalogs: options.catalogs,
      fetch: options.fetch,
      appVersion: options.appVersion,
      bundled: options.bundled,
    };
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
      throw new CustodianError('not_found', results[0].error.message);
    this.options.onCatalogsChanged?.();
    return results;
  }

  /** Each catalog's highest version of each plugin, with what is installed and what an update changes. */
  browse(): Promise<StoreEntry[]> {
    return browseStore(this.options.catalogs, this.options.registry);
  }

  // ----- installing -----

  /** Downloads and checks an archive, and answers what installing it would do. Changes nothing. */
  async prepare(source: InstallSource, progress?: Progress): Promise<InstallPlan> {
    if (!this.options.registry.isActive())
      throw new CustodianError('vault_locked', 'Unlock Custodian to install plugins.');
    const fetched = await fetchArchive(source, this.sources, progress);
    const abi = checkModule(fetched.archive);
    return this.planner.plan(fetched, this.installed(fetched.archive.manifest.plugin.name), abi);
  }

  /** The person agreed to a plan: it is put in place and loaded, replacing an installed version. */
  async install(token: string, choices: InstallChoices = {}): Promise<PluginInfo> {
    const pending = this.planner.take(token);
    const { plan, archive } = pending;
    const installed = this.installed(plan.name);
    checkConsent(plan, choices, installed);
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
    return this.planner.cancel(token);
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
    this.planner.checkWidening(plan, choices.acceptChanges);
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
    const installed = this.installed(name);
    if (!installed) throw new CustodianError('not_found', `No plugin named "${name}" is installed`);
    if (!installed.catalogId)
      throw new CustodianError(
        'refused',
        `"${name}" was not installed from a catalog (${installed.source}); install the new version the same way.`,
      );
    const candidate = await highestListed(this.options.catalogs, name, installed.catalogId);
    if (!candidate)
      throw new CustodianError(
        'not_found',
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

  private installed(name: string): PluginInfo | undefined {
    return this.options.registry.list().find((p) => p.name === name);
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
}

function withoutDescriptor(archive: PluginArchive): Map<string, Buffer> {
  // The descriptor vouched for the files in transit; the folder holds the plugin itself.
  return new Map([...archive.files].filter(([name]) => name !== 'custodian-plugin.json'));
}

function catalogRefusal(error: CatalogFailure): CustodianError {
  if (error.code === 'not_found') return new CustodianError('not_found', error.message);
  return new CustodianError('refused', error.message);
}
