import type { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import type { PluginManifest } from '../../../../shared/manifest';
import {
  ARCHIVE_LIMITS,
  DESCRIPTOR_FILE,
  MANIFEST_FILE,
  WASM_FILE_PATTERN,
  isAllowedArchiveFile,
  pluginDescriptorSchema,
  type PluginDescriptor,
} from '../../../../shared/plugin-archive';
import { ManifestError, parseManifest } from '../../plugins/manifest-parser';
import { descriptorDifference, sha256Hex } from './descriptor';
import type { CustodianError } from '../../../../shared/errors';
import { archiveRefusal, isArchiveRefusal } from './errors';

// Reads a plugin archive into memory, refusing anything hostile. The order is
// the point: the whole archive's size and hash first (what the store promised),
// then every central-directory entry is judged on its metadata alone (names,
// types, sizes, count), then data ranges and local headers, and only then is
// anything inflated, each entry under a hard cap of its declared size. Nothing
// is written to disk here; stage.ts does that with the checked result.

export interface ReadArchiveOptions {
  /** The app's version, for plugin.toml's min_app_version. */
  appVersion: string;
  /** Lower-case hex sha256 the store (or the user) promised for the archive. */
  expectedSha256?: string;
  /** Byte size the store promised for the archive. */
  expectedSize?: number;
}

export interface PluginArchive {
  manifest: PluginManifest;
  descriptor: PluginDescriptor;
  /** Every file in the archive, descriptor included, by its flat name. */
  files: Map<string, Buffer>;
  /** sha256 of the archive, lower-case hex. */
  sha256: string;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
const MSDOS_DIRECTORY = 0x10;
const STORED = 0;
const DEFLATED = 8;

export async function readPluginArchive(
  bytes: Buffer,
  options: ReadArchiveOptions,
): Promise<PluginArchive> {
  if (options.expectedSize !== undefined && bytes.length !== options.expectedSize) {
    throw archiveRefusal(
      'archive_size',
      `the archive is ${bytes.length} bytes; ${options.expectedSize} were expected`,
    );
  }
  const sha256 = sha256Hex(bytes);
  if (options.expectedSha256 !== undefined && sha256 !== options.expectedSha256.toLowerCase()) {
    throw archiveRefusal(
      'archive_hash',
      `the archive's sha256 is ${sha256}; ${options.expectedSha256} was expected`,
    );
  }
  if (bytes.length > ARCHIVE_LIMITS.maxArchiveBytes) {
    throw archiveRefusal(
      'too_large',
      `the archive is ${bytes.length} bytes; the limit is ${ARCHIVE_LIMITS.maxArchiveBytes}`,
    );
  }

  const zip = await openZip(bytes);
  try {
    const entries = await listEntries(zip);
    await checkDataRanges(zip, entries);
    const files = new Map<string, Buffer>();
    for (const { name, entry } of entries) files.set(name, await inflate(zip, entry, name));
    return { ...checkContents(files, options.appVersion), files, sha256 };
  } finally {
    zip.close();
  }
}

async function openZip(bytes: Buffer): Promise<ZipFile> {
  try {
    // decodeStrings off: names stay raw bytes and are judged here, so yauzl
    // neither rewrites backslashes nor takes a name from a Unicode extra field.
    return await yauzl.fromBufferPromise(bytes, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: false,
      validateEntrySizes: true,
      strictFileNames: true,
    });
  } catch (error) {
    throw archiveRefusal('bad_zip', `not a readable zip archive: ${messageOf(error)}`);
  }
}

interface NamedEntry {
  name: string;
  entry: Entry;
}

// Judges every entry on central-directory metadata alone, before any data is read.
async function listEntries(zip: ZipFile): Promise<NamedEntry[]> {
  if (zip.entryCount > ARCHIVE_LIMITS.maxEntries) {
    throw archiveRefusal(
      'too_many_entries',
      `the archive has ${zip.entryCount} entries; at most ${ARCHIVE_LIMITS.maxEntries} are allowed`,
    );
  }
  const entries: NamedEntry[] = [];
  const seen = new Map<string, string>();
  let total = 0;
  let wasm: string | undefined;
  try {
    for await (const entry of zip.eachEntry()) {
      const name = checkEntry(entry);
      const folded = name.toLowerCase();
      const earlier = seen.get(folded);
      if (earlier !== undefined) {
        throw archiveRefusal(
          'duplicate',
          earlier === name
            ? `entry "${name}" appears twice`
            : `entry "${name}" has the same name as "${earlier}" on a case-insensitive disk`,
        );
      }
      seen.set(folded, name);
      if (WASM_FILE_PATTERN.test(name)) {
        if (wasm !== undefined)
          throw archiveRefusal(
            'unexpected_file',
            `entry "${name}": the archive already has a wasm module ("${wasm}")`,
          );
        wasm = name;
      }
      total += entry.uncompressedSize;
      if (total > ARCHIVE_LIMITS.maxTotalBytes) {
        throw archiveRefusal(
          'too_large',
          `entry "${name}" brings the declared total to ${total} bytes; the limit is ${ARCHIVE_LIMITS.maxTotalBytes}`,
        );
      }
      entries.push({ name, entry });
    }
  } catch (error) {
    if (isArchiveRefusal(error)) throw error;
    throw archiveRefusal('bad_zip', `the zip's central directory is damaged: ${messageOf(error)}`);
  }
  return entries;
}

/** Returns the entry's name once every metadata check passed. */
function checkEntry(entry: Entry): string {
  const raw = entry.fileNameRaw;
  // latin1 maps each byte to one character, so what is checked is exactly the bytes.
  const name = raw.toString('latin1');
  const shown = JSON.stringify(name);
  if (/^[\\/]/.test(name) || /^[A-Za-z]:/.test(name)) {
    throw archiveRefusal('absolute_path', `entry ${shown} is an absolute path`);
  }
  if (name.split(/[\\/]/).includes('..')) {
    throw archiveRefusal('path_traversal', `entry ${shown} has a ".." path segment`);
  }
  if (name.length === 0 || !/^[\x21-\x7e]+$/.test(name) || name.includes('\\')) {
    throw archiveRefusal(
      'bad_name',
      `entry ${shown}: names must be printable ASCII without spaces or backslashes`,
    );
  }
  const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (mode === S_IFLNK) throw archiveRefusal('link', `entry ${shown} is a symbolic link`);
  const directory =
    name.endsWith('/') ||
    mode === S_IFDIR ||
    (entry.externalFileAttributes & MSDOS_DIRECTORY) !== 0;
  if (directory)
    throw archiveRefusal('not_a_file', `entry ${shown} is a directory; archives are flat`);
  // Mode bits are optional (Windows tools leave them 0); when present they must say "regular file".
  if (mode !== 0 && mode !== S_IFREG) {
    throw archiveRefusal(
      'not_a_file',
      `entry ${shown} is not a regular file (mode ${mode.toString(8)})`,
    );
  }
  if (entry.isEncrypted()) throw archiveRefusal('unsupported_entry', `entry ${shown} is encrypted`);
  if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) {
    throw archiveRefusal(
      'unsupported_entry',
      `entry ${shown} uses compression method ${entry.compressionMethod}; only stored and deflate are read`,
    );
  }
  if (!isAllowedArchiveFile(name)) {
    throw archiveRefusal(
      'unexpected_file',
      `entry ${shown} is not a file a plugin archive may hold (plugin.toml, the .wasm module, ${DESCRIPTOR_FILE}, README.md, icon.png, icon.svg)`,
    );
  }
  if (entry.uncompressedSize > ARCHIVE_LIMITS.maxFileBytes) {
    throw archiveRefusal(
      'too_large',
      `entry ${shown} declares ${entry.uncompressedSize} bytes; the limit is ${ARCHIVE_LIMITS.maxFileBytes}`,
    );
  }
  return name;
}

// Each entry's local header must carry the central directory's name, and no two
// entries' data may overlap: overlapping entries are how a small zip inflates the
// same compressed bytes many times (a "better zip bomb").
async function checkDataRanges(zip: ZipFile, entries: NamedEntry[]): Promise<void> {
  const ranges: { name: string; start: number; end: number }[] = [];
  for (const { name, entry } of entries) {
    let header;
    try {
      header = await zip.readLocalFileHeaderPromise(entry);
    } catch (error) {
      throw archiveRefusal('bad_zip', `entry "${name}": ${messageOf(error)}`);
    }
    if (!header.fileName.equals(entry.fileNameRaw)) {
      throw archiveRefusal(
        'bad_zip',
        `entry "${name}" is named ${JSON.stringify(header.fileName.toString('latin1'))} in its local header`,
      );
    }
    ranges.push({
      name,
      start: entry.relativeOffsetOfLocalHeader,
      end: header.fileDataStart + entry.compressedSize,
    });
  }
  ranges.sort((a, b) => a.start - b.start);
  for (let i = 1; i < ranges.length; i++) {
    const previous = ranges[i - 1];
    const current = ranges[i];
    if (previous && current && current.start < previous.end) {
      throw archiveRefusal(
        'zip_bomb',
        `entries "${previous.name}" and "${current.name}" share compressed data`,
      );
    }
  }
}

// Inflates one entry, never past its declared size: yauzl's validateEntrySizes
// also asserts this, and counting here keeps the cap even if that changes.
async function inflate(zip: ZipFile, entry: Entry, name: string): Promise<Buffer> {
  const cap = entry.uncompressedSize;
  let stream: Readable;
  try {
    stream = await zip.openReadStreamPromise(entry);
  } catch (error) {
    throw archiveRefusal('bad_zip', `entry "${name}" cannot be read: ${messageOf(error)}`);
  }
  const data = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let count = 0;
    stream.on('data', (chunk: Buffer) => {
      count += chunk.length;
      if (count > cap) {
        stream.destroy();
        reject(bomb(name, cap, count));
        return;
      }
      chunks.push(chunk);
    });
    stream.on('error', (error) => {
      reject(
        /too many bytes/.test(messageOf(error))
          ? bomb(name, cap, count)
          : archiveRefusal('bad_zip', `entry "${name}" cannot be inflated: ${messageOf(error)}`),
      );
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
  });
  if (data.length !== cap) {
    throw archiveRefusal(
      'bad_zip',
      `entry "${name}" holds ${data.length} bytes but declares ${cap}`,
    );
  }
  if (crc32(data) >>> 0 !== entry.crc32 >>> 0) {
    throw archiveRefusal('bad_zip', `entry "${name}" fails its CRC-32 check`);
  }
  return data;
}

function bomb(name: string, cap: number, count: number): CustodianError {
  return archiveRefusal(
    'zip_bomb',
    `entry "${name}" inflates past its declared ${cap} bytes (at least ${count})`,
  );
}

// With every entry read: the descriptor pins the files, and agrees with the manifest.
function checkContents(
  files: ReadonlyMap<string, Buffer>,
  appVersion: string,
): { manifest: PluginManifest; descriptor: PluginDescriptor } {
  const descriptorBytes = required(files, DESCRIPTOR_FILE);
  if (descriptorBytes.length > ARCHIVE_LIMITS.maxDescriptorBytes) {
    throw archiveRefusal(
      'too_large',
      `${DESCRIPTOR_FILE} is ${descriptorBytes.length} bytes; the limit is ${ARCHIVE_LIMITS.maxDescriptorBytes}`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(descriptorBytes.toString('utf8'));
  } catch {
    throw archiveRefusal('bad_descriptor', `${DESCRIPTOR_FILE} is not JSON`);
  }
  const parsed = pluginDescriptorSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw archiveRefusal(
      'bad_descriptor',
      `${DESCRIPTOR_FILE}: ${issue?.path.join('.') || 'descriptor'}: ${issue?.message ?? 'is invalid'}`,
    );
  }
  const descriptor = parsed.data;

  let manifest: PluginManifest;
  try {
    manifest = parseManifest(
      required(files, MANIFEST_FILE).toString('utf8'),
      MANIFEST_FILE,
      appVersion,
    );
  } catch (error) {
    if (error instanceof ManifestError) throw archiveRefusal('bad_manifest', error.message);
    throw error;
  }
  const wasmName = manifest.plugin.wasm_module;
  for (const name of files.keys()) {
    if (!isAllowedArchiveFile(name, wasmName)) {
      throw archiveRefusal(
        'unexpected_file',
        `entry "${name}" is not the module plugin.toml names ("${wasmName}")`,
      );
    }
  }
  const wasm = required(files, wasmName);

  const pinned = new Map(descriptor.files.map((file) => [file.path, file]));
  if (pinned.size !== descriptor.files.length)
    throw archiveRefusal('bad_descriptor', `${DESCRIPTOR_FILE} lists a file twice`);
  for (const [name, data] of files) {
    if (name === DESCRIPTOR_FILE) continue;
    const file = pinned.get(name);
    if (!file)
      throw archiveRefusal(
        'descriptor_mismatch',
        `entry "${name}" is not listed in ${DESCRIPTOR_FILE}`,
      );
    if (file.size !== data.length) {
      throw archiveRefusal(
        'file_size',
        `entry "${name}" is ${data.length} bytes; ${DESCRIPTOR_FILE} says ${file.size}`,
      );
    }
    const hash = sha256Hex(data);
    if (hash !== file.sha256) {
      throw archiveRefusal(
        'file_hash',
        `entry "${name}" has sha256 ${hash}; ${DESCRIPTOR_FILE} says ${file.sha256}`,
      );
    }
  }
  for (const path of pinned.keys()) {
    if (!files.has(path) || path === DESCRIPTOR_FILE)
      throw archiveRefusal(
        'missing_file',
        `${DESCRIPTOR_FILE} lists "${path}", which the archive lacks`,
      );
  }
  const difference = descriptorDifference(descriptor, manifest);
  if (difference) throw archiveRefusal('descriptor_mismatch', difference);

  // Structure only: imports and capabilities are checked when the plugin host loads it.
  if (!WebAssembly.validate(wasm)) {
    throw archiveRefusal('bad_wasm', `entry "${wasmName}" is not a valid WebAssembly module`);
  }
  return { manifest, descriptor };
}

function required(files: ReadonlyMap<string, Buffer>, name: string): Buffer {
  const data = files.get(name);
  if (!data) throw archiveRefusal('missing_file', `the archive has no ${name}`);
  return data;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
