import semver from 'semver';
import type { CatalogPlugin } from '../../../shared/catalog';
import type { StoreEntry } from '../../../shared/store';
import type { PluginRegistry } from '../plugins/plugin-registry';
import type { CatalogStore } from './catalog/catalog-store';
import { isNewer, pluginChanges, shapeOfCatalog, shapeOfInfo } from './plugin-changes';

// The store's shop window: each catalog's highest version of each plugin,
// with what is installed and what an update from that catalog would change.

export async function browseStore(
  catalogs: CatalogStore,
  registry: PluginRegistry,
): Promise<StoreEntry[]> {
  const [entries, sources] = await Promise.all([catalogs.plugins(), catalogs.list()]);
  const names = new Map(sources.map((s) => [s.id, s.name ?? s.url]));
  const installed = new Map(registry.list().map((p) => [p.name, p]));
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
      ...(plugin.icon ? { icon: plugin.icon } : {}),
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
