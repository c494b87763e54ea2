import type { CatalogPlugin } from '../../../../shared/catalog';
import type { PluginManifest } from '../../../../shared/manifest';

// How a plugin's manifest is described in a catalog: the one mapping the
// bundled catalog's build, test publishers and the install plan all use.

export function catalogCredentialTypes(
  manifest: PluginManifest,
): CatalogPlugin['credential_types'] {
  return manifest.credential_types.map((t) => ({
    name: t.name,
    display_name: t.display_name,
    fields: t.fields.map((f) => ({ name: f.name, label: f.label, secret: f.secret })),
  }));
}

export function catalogTools(manifest: PluginManifest): CatalogPlugin['tools'] {
  return manifest.mcp_tools.map((t) => ({ name: t.name, description: t.description }));
}

const ICON_TYPES = { 'icon.svg': 'image/svg+xml', 'icon.png': 'image/png' } as const;

/** The archive's icon (icon.svg before icon.png) as the catalog carries it, or nothing. */
export function catalogIconOf(files: ReadonlyMap<string, Buffer>): string | undefined {
  for (const [name, type] of Object.entries(ICON_TYPES)) {
    const bytes = files.get(name);
    if (bytes) return `data:${type};base64,${bytes.toString('base64')}`;
  }
  return undefined;
}

/** The catalog entry for a packed plugin whose archive is at `archive.url`. */
export function catalogEntryOf(
  manifest: PluginManifest,
  archive: CatalogPlugin['archive'],
  icon?: string,
): CatalogPlugin {
  return {
    name: manifest.plugin.name,
    version: manifest.plugin.version,
    description: manifest.plugin.description,
    author: manifest.plugin.author,
    credential_types: catalogCredentialTypes(manifest),
    tools: catalogTools(manifest),
    capabilities: manifest.capabilities,
    ...(icon ? { icon } : {}),
    archive,
  };
}
