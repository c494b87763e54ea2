import type * as nodeFs from 'node:fs/promises';
import { errnoOf } from './fs-errors';

/**
 * Makes `folder` and its parents, 0700. Node's recursive mkdir answers ENOENT
 * when a parent is read-only or refused, which would read as "the folder is
 * gone"; a plain mkdir then tells the real cause (EROFS, EACCES) or succeeds.
 */
export async function makeFolder(fs: Pick<typeof nodeFs, 'mkdir'>, folder: string): Promise<void> {
  try {
    await fs.mkdir(folder, { recursive: true, mode: 0o700 });
  } catch (error) {
    if (errnoOf(error) !== 'ENOENT') throw error;
    await fs.mkdir(folder, { mode: 0o700 });
  }
}
