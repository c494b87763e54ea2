import { BUNDLED_ARCHIVE_PREFIX } from '../../../../shared/catalog';
import { CustodianError } from '../../../../shared/errors';
import type { InstallSource } from '../../../../shared/store';
import type {
  ArchiveLocation,
  ArchiveSource,
  FetchedArchive,
  Progress,
  SourceContext,
} from './archive-source';
import { fromBundled } from './bundled-source';
import { fromCatalog } from './catalog-source';
import { fromFile } from './file-source';
import { fromUrl } from './url-source';
import { highestListed } from './listing';

// Which strategy fetches an archive: a name is looked up in the catalogs
// first, then the location's kind picks one strategy from the map.

const SOURCES: { [K in ArchiveLocation['kind']]: ArchiveSource<K> } = {
  catalog: fromCatalog,
  bundled: fromBundled,
  file: fromFile,
  url: fromUrl,
};

export async function fetchArchive(
  source: InstallSource,
  context: SourceContext,
  progress?: Progress,
): Promise<FetchedArchive> {
  const location = await locate(source, context);
  const fetch = SOURCES[location.kind] as ArchiveSource<typeof location.kind>;
  return fetch(location, context, progress);
}

async function locate(source: InstallSource, context: SourceContext): Promise<ArchiveLocation> {
  switch (source.kind) {
    case 'catalog':
    case 'name': {
      const catalogId = source.kind === 'catalog' ? source.catalogId : undefined;
      const entry = await highestListed(context.catalogs, source.name, catalogId, source.version);
      if (!entry)
        throw new CustodianError(
          'not_found',
          `No catalog${catalogId ? ` "${catalogId}"` : ''} lists ${source.name}${source.version ? ` ${source.version}` : ''}.`,
        );
      return entry.archive.url.startsWith(BUNDLED_ARCHIVE_PREFIX)
        ? { kind: 'bundled', entry }
        : { kind: 'catalog', entry };
    }
    case 'file':
      return { kind: 'file', path: source.path };
    case 'url':
      return { kind: 'url', url: source.url };
  }
}
