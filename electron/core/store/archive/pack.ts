import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ARCHIVE_LIMITS,
  DESCRIPTOR_FILE,
  MANIFEST_FILE,
  OPTIONAL_FILES,
} from '../../../../shared/plugin-archive';
import { ManifestError, parseManifest } from '../../plugins/manifest-parser';
import { describeFiles, describePlugin } from './descriptor';
import { archiveRefusal } from './errors';
import { writeDeterministicZip } from './zip-write';

// Packing checks the manifest's shape, not whether some app is new enough to
// run it: that is the installing app's question (the reader asks it).
const ANY_APP_VERSION = '999999.0.0';

/**
 * Packs a built plugin folder (plugin.toml + the wasm module, optionally
 * README.md and an icon) into an archive with a descriptor. Anything else in the
 * folder is refused rather than silently left out, so the author sees it.
 */
export async function packPlugin(dir: string): Promise<Buffer> {
  const manifestPath = join(dir, MANIFEST_FILE);
  const manifestBytes = await readRegularFile(manifestPath);
  let manifest;
  try {
    manifest = parseManifest(manifestBytes.toString('utf8'), manifestPath, ANY_APP_VERSION);
  } catch (error) {
    if (error instanceof ManifestError) throw archiveRefusal('bad_manifest', error.message);
    throw error;
  }
  const allowed = new Set<string>([MANIFEST_FILE, manifest.plugin.wasm_module, ...OPTIONAL_FILES]);
  const present = await readdir(dir);
  for (const name of present) {
    if (!allowed.has(name)) {
      throw archiveRefusal(
        'bad_plugin_folder',
        `${join(dir, name)}: a plugin archive holds only ${[...allowed].join(', ')}`,
      );
    }
  }
  if (!present.includes(manifest.plugin.wasm_module)) {
    throw archiveRefusal(
      'missing_file',
      `${join(dir, manifest.plugin.wasm_module)} does not exist (plugin.toml's wasm_module)`,
    );
  }
  const files = new Map<string, Buffer>();
  for (const name of [...present].sort()) {
    files.set(
      name,
      name === MANIFEST_FILE ? manifestBytes : await readRegularFile(join(dir, name)),
    );
  }
  const descriptor = describePlugin(manifest, describeFiles(files));
  files.set(DESCRIPTOR_FILE, Buffer.from(`${JSON.stringify(descriptor, null, 2)}\n`, 'utf8'));
  return writeDeterministicZip(files);
}

// lstat first: a symlink in the build folder would pack whatever it points at.
async function readRegularFile(path: string): Promise<Buffer> {
  let stats;
  try {
    stats = await lstat(path);
  } catch {
    throw archiveRefusal('missing_file', `${path} does not exist`);
  }
  if (!stats.isFile()) throw archiveRefusal('not_a_file', `${path} is not a regular file`);
  if (stats.size > ARCHIVE_LIMITS.maxFileBytes) {
    throw archiveRefusal(
      'too_large',
      `${path} is ${stats.size} bytes; the limit is ${ARCHIVE_LIMITS.maxFileBytes}`,
    );
  }
  return readFile(path);
}
