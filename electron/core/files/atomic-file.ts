import { randomBytes } from 'node:crypto';
import type * as nodeFs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describeFsError } from './fs-errors';

// Durable replace-by-rename. A crash at any point leaves either the old file
// or the new one in place, plus perhaps a temp file that the next open sweeps.

export type FileSystem = Pick<
  typeof nodeFs,
  | 'open'
  | 'readFile'
  | 'rename'
  | 'unlink'
  | 'readdir'
  | 'mkdir'
  | 'copyFile'
  | 'stat'
  | 'chmod'
  | 'link'
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
  // What this save made, to take away again if it fails: no temp file outlives it.
  const made: string[] = [];
  let previous: Previous = { existed: false };
  let renamed = false;
  try {
    const temp = await writeTemp(fs, path, data, made);
    onStep?.('temp-written');
    if (options.backup && (await fileExists(fs, path))) {
      const backupTemp = `${path}.bak${TEMP_MARK}${randomBytes(6).toString('hex')}`;
      made.push(backupTemp);
      await backupOf(fs, path, backupTemp);
      await fs.rename(backupTemp, `${path}.bak`);
      made.pop();
    }
    onStep?.('backup-written');
    // A second name for the file being replaced: if the folder cannot be synced after
    // the rename, it goes back, so a save reported failed never stays the file.
    previous = await keepPrevious(fs, path);
    await fs.rename(temp, path);
    made.splice(made.indexOf(temp), 1);
    renamed = true;
    onStep?.('renamed');
    await syncFolder(fs, dirname(path));
    const { kept } = previous;
    previous = { existed: true };
    if (kept) await fs.unlink(kept).catch(() => undefined);
    onStep?.('directory-synced');
  } catch (error) {
    if (renamed) await putBack(fs, path, previous);
    for (const file of made) await fs.unlink(file).catch(() => undefined);
    if (previous.kept) await fs.unlink(previous.kept).catch(() => undefined);
    throw describeFsError(error, path, 'nothing was saved');
  }
}

/**
 * The file at `path` under a second name, for `.bak`. A hard link where the
 * file system has them: the file being replaced is never written again (every
 * save renames a new file over it), its bytes were synced when it was saved,
 * and the link's name is made durable by the folder sync after the rename, so
 * the link is the previous file without reading or writing 4 MB. Elsewhere
 * (FAT, some network shares) a copy, synced.
 */
async function backupOf(fs: FileSystem, path: string, backup: string): Promise<void> {
  try {
    await fs.link(path, backup);
    return;
  } catch (error) {
    // Only a file system that refuses links falls back; anything else (a full disk) fails the save.
    if (!LINKS_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }
  await fs.copyFile(path, backup);
  await fs.chmod(backup, 0o600);
  await fsyncPath(fs, backup);
}

/** What link(2) answers where a file system has no hard links (or refuses them to us). */
const LINKS_UNSUPPORTED: ReadonlySet<string> = new Set([
  'EPERM',
  'ENOTSUP',
  'EOPNOTSUPP',
  'ENOSYS',
  'EXDEV',
  'EMLINK',
  'EACCES',
]);

/** Whether a file was at the path before the rename, and a second name for it if one could be made. */
interface Previous {
  existed: boolean;
  kept?: string;
}

/** Keeps the file at `path` under a second name (a hard link), when there is one. */
async function keepPrevious(fs: FileSystem, path: string): Promise<Previous> {
  if (!(await fileExists(fs, path))) return { existed: false };
  const kept = `${path}${TEMP_MARK}prev-${randomBytes(6).toString('hex')}`;
  try {
    await fs.link(path, kept);
    return { existed: true, kept };
  } catch {
    // A file system without hard links (FAT, some network shares): the save goes on,
    // without the put-back a failed folder sync would otherwise get.
    return { existed: true };
  }
}

/**
 * Undoes a rename whose folder sync failed: the previous file is the file again,
 * or, when there was none, the new one goes. A previous file that could not be
 * kept (no hard links) is not there to put back: the new file stays.
 */
async function putBack(fs: FileSystem, path: string, previous: Previous): Promise<void> {
  try {
    if (previous.kept) await fs.rename(previous.kept, path);
    else if (!previous.existed) await fs.unlink(path);
  } catch {
    // The disk refuses even this: the failed save's file stays, and the next save replaces it.
  }
}

async function writeTemp(
  fs: FileSystem,
  path: string,
  data: Buffer,
  made: string[],
): Promise<string> {
  const temp = `${path}${TEMP_MARK}${randomBytes(6).toString('hex')}`;
  // 'wx' refuses to follow a planted file or link; 0600 from the first byte.
  const handle = await fs.open(temp, 'wx', 0o600);
  made.push(temp);
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
