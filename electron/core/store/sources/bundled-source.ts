import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { BUNDLED_ARCHIVE_PREFIX, BUNDLED_CATALOG_ID } from '../../../../shared/catalog';
import { readArchive } from './archive-checks';
import type { ArchiveSource } from './archive-source';
import { describeListed, matchListing } from './listing';
import { CustodianError } from '../../../../shared/errors';

// An archive that ships with the app (a `bundled:FILE.zip` entry): read from
// the app's resources, and only for the catalog that ships with it, so a
// remote catalog cannot point at files on this machine.

export const fromBundled: ArchiveSource<'bundled'> = async ({ entry }, context) => {
  const listed = await describeListed(context, entry);
  const { where } = listed;
  const { url, size, sha256 } = entry.archive;
  const bundled = context.bundled;
  if (entry.catalogId !== BUNDLED_CATALOG_ID || !bundled)
    throw new CustodianError(
      'refused',
      `${where} names a bundled archive (${url}); only the catalog that ships with the app may.`,
    );
  const bytes = await readFile(
    join(bundled.archivesDir, basename(url.slice(BUNDLED_ARCHIVE_PREFIX.length))),
  );
  const archive = await readArchive(context, bytes, where, {
    expectedSize: size,
    expectedSha256: sha256,
  });
  return matchListing(entry, archive, bytes, listed);
};
