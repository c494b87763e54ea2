import { randomBytes } from 'node:crypto';
import type * as nodeFs from 'node:fs/promises';
import { join } from 'node:path';
import { CustodianError } from '../../../shared/errors';
import { PLUGIN_NAME_PATTERN } from '../../../shared/manifest';
import { syncFolder } from './atomic-file';
import { describeFsError } from './fs-errors';
import { makeFolder } from './make-folder';

/** The file-system port's part staging uses (the core's port, so tests can inject faults). */
export type StageFs = Pick<typeof nodeFs, 'mkdir' | 'open' | 'rm'>;

// Writes a checked archive's files into a fresh staging folder inside the
// plugins folder, so the caller's final step is one rename on the same disk:
// the plugins folder never holds a half-written plugin. The staging name starts
// with "." so the registry's scan and watcher skip it. Everything is fsynced
// (files, then the folder) before the path is returned, so the rename publishes
// complete files even across a crash.

const FLAT_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

export async function stageToFolder(
  files: ReadonlyMap<string, Buffer>,
  pluginsRoot: string,
  name: string,
  fs: StageFs,
): Promise<string> {
  if (!PLUGIN_NAME_PATTERN.test(name))
    throw new CustodianError('refused', `"${name}" is not a plugin name`, { reason: 'bad_name' });
  // Names were checked by the reader; checked again here because this is where they become paths.
  for (const file of files.keys()) {
    if (!FLAT_NAME.test(file))
      throw new CustodianError('refused', `"${file}" is not a flat file name`, {
        reason: 'bad_name',
      });
  }
  const staging = join(pluginsRoot, `.staging-${name}-${randomBytes(8).toString('hex')}`);
  try {
    await makeFolder(fs, pluginsRoot);
    // Not recursive: fails if the (random) name exists rather than writing into someone's folder.
    await fs.mkdir(staging, { mode: 0o700 });
    for (const [file, data] of files) {
      // "wx": never follow or overwrite something already there.
      const handle = await fs.open(join(staging, file), 'wx', 0o600);
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    await syncFolder(fs, staging);
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
    // Named by the plugins folder: that is the place the person can free or fix.
    throw describeFsError(error, join(pluginsRoot, name), 'the plugin was not installed');
  }
  return staging;
}
