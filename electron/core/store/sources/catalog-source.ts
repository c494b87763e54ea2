import { BUNDLED_CATALOG_ID } from '../../../../shared/catalog';
import { download, readArchive } from './archive-checks';
import type { ArchiveSource } from './archive-source';
import { describeListed, matchListing } from './listing';
import { CustodianError } from '../../../../shared/errors';

// An archive a remote catalog lists: downloaded from the entry's URL and held
// to the size and sha256 the signed catalog gives, then to what it describes.

export const fromCatalog: ArchiveSource<'catalog'> = async ({ entry }, context, progress) => {
  const listed = await describeListed(context, entry);
  const { where } = listed;
  const { url, size, sha256 } = entry.archive;
  if (entry.catalogId === BUNDLED_CATALOG_ID)
    throw new CustodianError(
      'refused',
      `${where}: the bundled catalog installs only what ships with the app.`,
    );
  const bytes = await download(context, url, size, where, progress);
  const archive = await readArchive(context, bytes, where, {
    expectedSize: size,
    expectedSha256: sha256,
  });
  return matchListing(entry, archive, bytes, listed);
};
