import { packPlugin } from '../../electron/core/store/archive/pack';
import { readPluginArchive } from '../../electron/core/store/archive/read-archive';
import { generateSigningKey, type SigningKeyPair } from '../../electron/core/store/archive/signing';
import { catalogEntryOf } from '../../electron/core/store/catalog/catalog-entry';
import { signCatalog } from '../../electron/core/store/catalog/catalog-signing';
import type { CatalogPlugin } from '../../shared/catalog';
import { editedFixture, fixtureDir } from './plugin-fixtures';

// Publishing for tests: keys made here, fixture plugins packed into real
// archives (optionally with an edited plugin.toml: another version, wider
// capabilities), catalog entries that describe them, and signed catalogs.

/** A publisher's key pair: raw base64 public key (what a person pastes beside the URL), PKCS#8 PEM private key. */
export type Publisher = SigningKeyPair;
export const newPublisher = generateSigningKey;

/** A fixture's build folder packed; `edit` rewrites its plugin.toml first. */
export async function packFixture(name: string, edit?: (toml: string) => string): Promise<Buffer> {
  return packPlugin(edit ? await editedFixture(name, edit) : fixtureDir(name));
}

/** plugin.toml with another version, for updates and downgrades. */
export const withVersion = (version: string) => (toml: string) =>
  toml.replace(/^version = ".*"$/m, `version = "${version}"`);

/** The catalog entry for an archive served at `url`, read from the archive itself. */
export async function catalogEntry(archive: Buffer, url: string): Promise<CatalogPlugin> {
  const { manifest, sha256 } = await readPluginArchive(archive, { appVersion: '999.0.0' });
  return catalogEntryOf(manifest, { url, size: archive.length, sha256 });
}

export interface CatalogContent {
  name?: string;
  sequence: number;
  /** Default: a year from now. */
  expires?: string;
  plugins: CatalogPlugin[];
}

/** A signed catalog envelope, as a publisher serves it. */
export function signedCatalog(publisher: Publisher, content: CatalogContent): string {
  const body = JSON.stringify({
    name: content.name ?? 'Test catalog',
    sequence: content.sequence,
    expires: content.expires ?? new Date(Date.now() + 365 * 86_400_000).toISOString(),
    plugins: content.plugins,
  });
  return signCatalog(body, publisher.privateKey);
}
