import type { CatalogPlugin } from '../../../../shared/catalog';
import type { Trust } from '../../../../shared/store';
import type { PluginArchive } from '../archive/read-archive';
import type { CatalogStore, StoreFetch } from '../catalog/catalog-store';
import type { BundledStore } from '../store-options';

// What every archive source strategy shares: where an archive is (a catalog
// entry, a bundled archive, a file, a URL), what a strategy answers (the
// checked archive and why it may be trusted), and what a strategy may use.
// The strategies themselves are one file each beside this one.

/** Told the bytes received so far, and the total when known. */
export type Progress = (received: number, total: number | null) => void;

/** A catalog entry with the catalog that lists it. */
export type ListedPlugin = CatalogPlugin & { catalogId: string };

/** Where the archive to install is, once a name has been looked up in the catalogs. */
export type ArchiveLocation =
  /** Listed by a catalog, downloaded from the entry's URL. */
  | { kind: 'catalog'; entry: ListedPlugin }
  /** Listed by a catalog with a `bundled:` URL: shipped with the app. */
  | { kind: 'bundled'; entry: ListedPlugin }
  | { kind: 'file'; path: string }
  | { kind: 'url'; url: string };

export interface FetchedArchive {
  archive: PluginArchive;
  /** The archive file itself. */
  bytes: Buffer;
  trust: Trust;
  /** Where it came from, for people: a catalog's name, a file path or a URL. */
  from: string;
  /** Where it came from, written to the plugin's record. */
  source: string;
  catalogId?: string;
}

/** What the strategies may use. */
export interface SourceContext {
  catalogs: CatalogStore;
  fetch: StoreFetch;
  appVersion: string;
  bundled?: BundledStore | null;
}

/** Fetches and checks the archive at one kind of location. */
export type ArchiveSource<K extends ArchiveLocation['kind']> = (
  location: Extract<ArchiveLocation, { kind: K }>,
  context: SourceContext,
  progress?: Progress,
) => Promise<FetchedArchive>;
