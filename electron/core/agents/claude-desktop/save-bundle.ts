import { copyFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CustodianError } from '../../../../shared/errors';

// "Install in Claude Desktop (.mcpb)": a copy of the bundle the app ships,
// saved where the person chose in main's save dialog. Claude Desktop installs
// it when the person opens the file. The copy is written beside the target
// and renamed, so a failure never leaves half a bundle under that name.

export interface ClaudeBundleOptions {
  /** The built bundle: resources/mcpb/custodian.mcpb packaged, out/mcpb/ in a checkout. */
  path: string;
  /** Main's save dialog: the chosen path, or null when the person closed it. */
  pickSaveTarget: () => Promise<string | null>;
}

export async function saveClaudeBundle(
  bundle: ClaudeBundleOptions | undefined,
): Promise<{ path: string | null }> {
  if (!bundle || !(await isFile(bundle.path)))
    throw new CustodianError(
      'not_found',
      'This copy of Custodian has no Claude Desktop bundle (custodian.mcpb); `npm run build` makes it.',
    );
  const target = await bundle.pickSaveTarget();
  if (!target) return { path: null };
  const temp = join(dirname(target), `.${basename(target)}.tmp-${randomBytes(6).toString('hex')}`);
  try {
    await copyFile(bundle.path, temp);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw new CustodianError(
      'invalid_input',
      `Could not save the bundle to ${target} (${(error as NodeJS.ErrnoException).code ?? 'error'}); choose another place.`,
    );
  }
  return { path: target };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
