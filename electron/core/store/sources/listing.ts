import semver from 'semver';
import type { CatalogStore } from '../catalog/catalog-store';
import { pluginChanges, shapeOfCatalog, shapeOfManifest } from '../plugin-changes';
import type { PluginArchive } from '../archive/read-archive';
import type { FetchedArchive, ListedPlugin, SourceContext } from './archive-source';
import { CustodianError } from '../../../../shared/errors';

// What the catalog and bundled sources share: finding the entry a catalog
// lists, naming it for people, and holding the archive to what the entry
// says (the person is shown the entry, so the archive must match it).

/** The highest version of `name` the catalogs list (in one catalog, or one version, when given). */
export async function highestListed(
  catalogs: CatalogStore,
  name: string,
  catalogId?: string,
  version?: string,
): Promise<ListedPlugin | undefined> {
  let best: ListedPlugin | undefined;
  for (const entry of await catalogs.plugins()) {
    if (entry.plugin.name !== name) continue;
    if (catalogId !== undefined && entry.catalogId !== catalogId) continue;
    if (version !== undefined && entry.plugin.version !== version) continue;
    // Bundled first: a later catalog wins only with a strictly higher version.
    if (!best || semver.gt(entry.plugin.version, best.version))
      best = { ...entry.plugin, catalogId: entry.catalogId };
  }
  return best;
}

/** The entry's catalog's name, and the entry described for refusals. */
export async function describeListed(
  context: SourceContext,
  entry: ListedPlugin,
): Promise<{ catalogName: string; where: string }> {
  const sources = await context.catalogs.list();
  const catalogName = sources.find((s) => s.id === entry.catalogId)?.name ?? entry.catalogId;
  return { catalogName, where: `${entry.name} ${entry.version} from the catalog "${catalogName}"` };
}

/** The archive as the catalog vouches for it, once it says what the entry says. */
export function matchListing(
  entry: ListedPlugin,
  archive: PluginArchive,
  bytes: Buffer,
  listed: { catalogName: string; where: string },
): FetchedArchive {
  const { catalogName, where } = listed;
  // The person is shown the catalog's description; the archive must say the same.
  const shown = shapeOfCatalog(entry);
  const actual = shapeOfManifest(archive.manifest);
  if (
    archive.manifest.plugin.name !== entry.name ||
    archive.manifest.plugin.version !== entry.version ||
    pluginChanges(shown, actual).needsConsent
  )
    throw new CustodianError(
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
