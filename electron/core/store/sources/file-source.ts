import { readFile, stat } from 'node:fs/promises';
import { ARCHIVE_LIMITS } from '../../../../shared/plugin-archive';
import { judgeSignature, readArchive } from './archive-checks';
import type { ArchiveSource } from './archive-source';
import { CustodianError } from '../../../../shared/errors';

// A local archive (install from file): vouched for only by a signature beside
// it (ARCHIVE.sig) from a key the person trusts; otherwise unsigned.

export const fromFile: ArchiveSource<'file'> = async ({ path }, context) => {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new CustodianError('refused', `${path} does not exist or cannot be read.`);
  }
  if (!info.isFile()) throw new CustodianError('refused', `${path} is not a file.`);
  if (info.size > ARCHIVE_LIMITS.maxArchiveBytes)
    throw new CustodianError(
      'refused',
      `${path} is ${info.size} bytes; a plugin archive may be at most ${ARCHIVE_LIMITS.maxArchiveBytes}.`,
    );
  const bytes = await readFile(path);
  const archive = await readArchive(context, bytes, path, {});
  const signature = await readFile(`${path}.sig`, 'utf8').catch(() => null);
  const trust = await judgeSignature(context, bytes, signature, `${path}.sig`);
  const note = trust.kind === 'unsigned' ? ' (unsigned)' : '';
  return { archive, bytes, trust, from: path, source: `file: ${path}${note}` };
};
