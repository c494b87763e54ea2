import { createHash } from 'node:crypto';
import {
  DESCRIPTOR_FORMAT,
  type ArchiveFile,
  type PluginDescriptor,
} from '../../../../shared/plugin-archive';
import type { PluginManifest } from '../../../../shared/manifest';

// The descriptor is derived from the manifest and the files, never written by
// hand: packing builds it here, and reading rebuilds the manifest's part here to
// compare, so the two sides cannot drift apart.

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Every file but the descriptor itself, sorted by path, pinned by size and sha256. */
export function describeFiles(files: ReadonlyMap<string, Buffer>): ArchiveFile[] {
  return [...files.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, data]) => ({ path, size: data.length, sha256: sha256Hex(data) }));
}

export function describePlugin(manifest: PluginManifest, files: ArchiveFile[]): PluginDescriptor {
  return {
    format: DESCRIPTOR_FORMAT,
    id: manifest.plugin.name,
    version: manifest.plugin.version,
    files,
    capabilities: {
      crypto: manifest.capabilities.crypto,
      log: manifest.capabilities.log,
      http: [...manifest.capabilities.http],
    },
    tools: manifest.mcp_tools.map((tool) => ({ name: tool.name, description: tool.description })),
    credential_types: manifest.credential_types.map((type) => type.name),
  };
}

/** The first field where the descriptor says something the manifest does not, or undefined. */
export function descriptorDifference(
  descriptor: PluginDescriptor,
  manifest: PluginManifest,
): string | undefined {
  const expected = describePlugin(manifest, descriptor.files);
  const fields = ['id', 'version', 'capabilities', 'tools', 'credential_types'] as const;
  for (const field of fields) {
    // Both sides come from zod schemas with fixed key order, so JSON compares them exactly;
    // http hosts compare as sets since their order carries no meaning.
    const normalise = (value: PluginDescriptor[typeof field]) =>
      field === 'capabilities' && typeof value === 'object' && 'http' in value
        ? JSON.stringify({ ...value, http: [...value.http].sort() })
        : JSON.stringify(value);
    if (normalise(descriptor[field]) !== normalise(expected[field])) {
      return `${field} is ${normalise(descriptor[field])} in the descriptor but ${normalise(expected[field])} in plugin.toml`;
    }
  }
  return undefined;
}
