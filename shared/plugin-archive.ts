import { z } from 'zod';
import { capabilitiesSchema, PLUGIN_NAME_PATTERN, TOOL_NAME_PATTERN } from './manifest';
import { FIELD_NAME_PATTERN } from './limits';

// The plugin archive the store serves and authors pack: a zip holding
// plugin.toml, the wasm module, this descriptor and optionally a README and an
// icon. Zip rather than tar.gz because its central directory lists every entry
// (name, sizes, type) up front, so the reader refuses a hostile archive before
// inflating a single byte. The descriptor repeats what the manifest says about
// the plugin (so a store can show it without parsing TOML) and pins every
// other file by size and sha256; the reader checks both agree.

export const DESCRIPTOR_FILE = 'custodian-plugin.json';
export const MANIFEST_FILE = 'plugin.toml';
export const DESCRIPTOR_FORMAT = 1;

/** Files an archive may hold besides the wasm module, whose name the manifest gives. */
export const OPTIONAL_FILES = ['README.md', 'icon.png', 'icon.svg'] as const;
/** The shape of a wasm module name, as plugin.toml's wasm_module allows it. */
export const WASM_FILE_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]*\.wasm$/;

// Limits: a real plugin is plugin.toml, one module, a descriptor and perhaps a
// README and an icon; the caps leave room and stop zip bombs and entry floods.
export const ARCHIVE_LIMITS = {
  /** The archive file itself, compressed. */
  maxArchiveBytes: 32 * 1024 * 1024,
  maxEntries: 16,
  /** Sum of every entry's uncompressed size. */
  maxTotalBytes: 32 * 1024 * 1024,
  maxFileBytes: 16 * 1024 * 1024,
  /** The descriptor is parsed as JSON before anything else is trusted. */
  maxDescriptorBytes: 256 * 1024,
} as const;

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** True for the names an archive may hold, given the manifest's wasm module. */
export function isAllowedArchiveFile(name: string, wasmModule?: string): boolean {
  if (name === MANIFEST_FILE || name === DESCRIPTOR_FILE) return true;
  if ((OPTIONAL_FILES as readonly string[]).includes(name)) return true;
  return wasmModule === undefined ? WASM_FILE_PATTERN.test(name) : name === wasmModule;
}

export const archiveFileSchema = z
  .object({
    path: z.string().min(1).max(128),
    size: z.number().int().min(0).max(ARCHIVE_LIMITS.maxFileBytes),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits'),
  })
  .strict();
export type ArchiveFile = z.infer<typeof archiveFileSchema>;

export const pluginDescriptorSchema = z
  .object({
    format: z.literal(DESCRIPTOR_FORMAT),
    id: z.string().regex(PLUGIN_NAME_PATTERN, 'must be a plugin name'),
    version: z.string().max(64).regex(SEMVER, 'must be a semantic version such as 1.2.0'),
    files: z.array(archiveFileSchema).min(1).max(ARCHIVE_LIMITS.maxEntries),
    capabilities: capabilitiesSchema,
    tools: z
      .array(
        z
          .object({
            name: z.string().regex(TOOL_NAME_PATTERN),
            description: z.string().max(1000),
          })
          .strict(),
      )
      .max(100),
    credential_types: z.array(z.string().regex(FIELD_NAME_PATTERN)).max(20),
  })
  .strict();
export type PluginDescriptor = z.infer<typeof pluginDescriptorSchema>;

/** `<archive>.sig`: who signed (the key id) and the Ed25519 signature, base64. */
export const archiveSignatureSchema = z
  .object({
    format: z.literal(1),
    algorithm: z.literal('ed25519'),
    keyId: z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 lower-case hex digits'),
    signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'must be a base64 Ed25519 signature'),
  })
  .strict();
export type ArchiveSignature = z.infer<typeof archiveSignatureSchema>;
