import { createHash, randomBytes } from 'node:crypto';
import type * as nodeFs from 'node:fs/promises';
import { join } from 'node:path';
import { readFileIfExists, writeFileAtomic, type FileSystem } from '../files/atomic-file';
import { INSTALLED_FILE, installedRecordSchema, type InstalledRecord } from './installed-record';

// The plugins folder on disk: one folder per plugin (plugin.toml, its wasm
// module, .installed.json), and dot-folders for versions moved aside. What is
// read and written here is the folder and its records, nothing loaded.

/** The core's file-system port: what a durable save needs, plus removing and copying folders. */
export type PluginFs = FileSystem & Pick<typeof nodeFs, 'rm' | 'cp'>;

/** The plugin folders under `root`, sorted; leftovers of a crash (dot-folders) are removed. */
export async function pluginFolders(fs: PluginFs, root: string): Promise<string[]> {
  const names: string[] = [];
  for (const name of await fs.readdir(root)) {
    if (name.startsWith('.')) {
      // A staging or removal folder left by a crash: never a plugin.
      await fs.rm(join(root, name), { recursive: true, force: true });
      continue;
    }
    if ((await fs.stat(join(root, name))).isDirectory()) names.push(name);
  }
  return names.sort();
}

/** A sibling folder name the scan skips (it starts with "."), for a version moved aside. */
export function asideName(
  root: string,
  name: string,
  why: 'previous' | 'failed' | 'removed',
): string {
  return join(root, `.${why}-${name}-${randomBytes(4).toString('hex')}`);
}

export async function readRecord(fs: PluginFs, dir: string): Promise<InstalledRecord | undefined> {
  const raw = await readFileIfExists(fs, join(dir, INSTALLED_FILE));
  if (!raw) return undefined;
  try {
    return installedRecordSchema.parse(JSON.parse(raw.toString('utf8')));
  } catch {
    throw new Error(`${join(dir, INSTALLED_FILE)} is damaged; reinstall the plugin`);
  }
}

export async function writeRecord(
  fs: PluginFs,
  dir: string,
  record: InstalledRecord,
): Promise<void> {
  await writeFileAtomic(
    join(dir, INSTALLED_FILE),
    Buffer.from(`${JSON.stringify(record, null, 2)}\n`),
    {
      fs,
      backup: false,
    },
  );
}

/** The wasm module's digest as a record holds it. */
export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
