import { generateKeyPairSync } from 'node:crypto';
import { packPlugin } from '../../electron/core/store/archive/pack';
import { readPluginArchive } from '../../electron/core/store/archive/read-archive';
import {
  keyIdOf,
  rawPublicKey,
  signCatalog,
} from '../../electron/core/store/catalog/catalog-signing';
import type { CatalogPlugin } from '../../shared/catalog';
import { editedFixture, fixtureDir } from './plugin-fixtures';

// Publishing for tests: keys made here, fixture plugins packed into real
// archives (optionally with an edited plugin.toml: another version, wider
// capabilities), catalog entries that describe them, and signed catalogs.

export interface Publisher {
  keyId: string;
  /** Raw Ed25519 key, base64: what a person pastes next to the catalog URL. */
  publicKey: string;
  /** PKCS#8 PEM. */
  privateKey: string;
}

export function newPublisher(): Publisher {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = rawPublicKey(publicKey);
  return {
    keyId: keyIdOf(raw),
    publicKey: raw.toString('base64'),
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

/** A fixture's build folder packed; `edit` rewrites its plugin.toml first. */
export async function packFixture(name: string, edit?: (toml: string) => string): Promise<Buffer> {
  return packPlugin(edit ? await editedFixture(name, edit) : fixtureDir(name));
}

/** plugin.toml with another version, for updates and downgrades. */
export const withVersion = (version: string) => (toml: string) =>
  toml.replace(/^version = ".*"$/m, `version = "${version}"`);

/** The catalog entry for an archive served at `url`, read from the archive itself. */
export async function catalogEntry(archive: Buffer, url: string): Promise<CatalogPlugin> {
  const { manifest } = await readPluginArchive(archive, { appVersion: '999.0.0' });
  return {
    name: manifest.plugin.name,
    version: manifest.plugin.version,
    description: manifest.plugin.description,
    author: manifest.plugin.author,
    credential_types: manifest.credential_types.map((t) => ({
      name: t.name,
      display_name: t.display_name,
      fields: t.fields.map((f) => ({ name: f.name, label: f.label, secret: f.secret })),
    })),
    tools: manifest.mcp_tools.map((t) => ({ name: t.name, description: t.description })),
    capabilities: manifest.capabilities,
    archive: {
      url,
      size: archive.length,
      sha256: (await readPluginArchive(archive, { appVersion: '999.0.0' })).sha256,
    },
  };
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
