import { randomBytes } from 'node:crypto';
import type * as nodeFs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

// Durable replace-by-rename. A crash at any point leaves either the old file
// or the new one in place, plus perhaps a temp file that the next open sweeps.

export type FileSystem = Pick<
  typeof nodeFs,
  'open' | 'readFile' | 'rename' | 'unlink' | 'readdir' | 'mkdir' | 'copyFile' | 'stat' | 'chmod'
>;

/** The moments a save passes through, in order; tests kill the process at each. */
export const SAVE_STEPS = [
  'temp-written',
  'backup-written',
  'renamed',
  'directory-synced',
] as const;
export type SaveStep = (typeof SAVE_STEPS)[number];

const TEMP_MARK = '.tmp-';

export interface AtomicWriteOptions {
  fs: FileSystem;
  /** Keep the file being replaced as `<path>.bak`. */
  backup: boolean;
  onStep?: (step: SaveStep) => void;
}

export async function writeFileAtomic(
  path: string,
  data: Buffer,
  options: AtomicWriteOptions,
): Promise<void> {
  const { fs, onStep } = options;
  const temp = await writeTemp(fs, path, data);
  onStep?.('temp-written');
  if (options.backup && (await fileExists(fs, path))) {
    const backupTemp = `${path}.bak${TEMP_MARK}${randomBytes(6).toString('hex')}`;
    await fs.copyFile(path, backupTemp);
    await fs.chmod(backupTemp, 0o600);
    await fsyncPath(fs, backupTemp);
    await fs.rename(backupTemp, `${path}.bak`);
  }
  onStep?.('backup-written');
  await fs.rename(temp, path);
  onStep?.('renamed');
  await syncFolder(fs, dirname(path));
  onStep?.('directory-synced');
}

async function writeTemp(fs: FileSystem, path: string, data: Buffer): Promise<string> {
  const temp = `${path}${TEMP_MARK}${randomBytes(6).toString('hex')}`;
  // 'wx' refuses to follow a planted file or link; 0600 from the first byte.
  const handle = await fs.open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temp;
}

/**
 * Makes a rename or a new file in `folder` durable. Windows cannot open a
 * folder for this and makes renames durable itself, so it is skipped there.
 */
export async function syncFolder(fs: Pick<FileSystem, 'open'>, folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  await fsyncPath(fs, folder);
}

async function fsyncPath(fs: Pick<FileSystem, 'open'>, path: string): Promise<void> {
  const handle = await fs.open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Whether something is at `path`, without reading it. */
export async function fileExists(fs: Pick<FileSystem, 'stat'>, path: string): Promise<boolean> {
  try {
    await fs.stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Removes temp files a crashed save left beside `path`. Returns how many. */
export async function removeStrayTempFiles(fs: FileSystem, path: string): Promise<number> {
  const prefix = basename(path);
  let removed = 0;
  for (const name of await fs.readdir(dirname(path))) {
    if (name.startsWith(prefix) && name.includes(TEMP_MARK)) {
      await fs.unlink(join(dirname(path), name));
      removed++;
    }
  }
  return removed;
}

export async function readFileIfExists(
  fs: Pick<FileSystem, 'readFile'>,
  path: string,
): Promise<Buffer | null> {
  try {
    return await fs.readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
