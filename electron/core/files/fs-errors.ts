import { dirname } from 'node:path';
import { CustodianError } from '../../../shared/errors';

// The one place an operating-system file error (an errno code) becomes words
// for the person: what the disk said, where, and what that means for the data
// ("nothing was saved"). Every writer of the core passes its failures through
// describeFsError, so the disk-full message reads the same for the vault, the
// audit log, a plugin install, a catalog refresh and the settings.

/** The faults the person can do something about, by errno code. */
const FAULTS: Record<string, { reason: string; say: (folder: string, path: string) => string }> = {
  ENOSPC: {
    reason: 'disk_full',
    say: (folder) => `No space left on the disk that holds ${folder}`,
  },
  EDQUOT: {
    reason: 'quota',
    say: (folder) => `Your disk quota is used up on the disk that holds ${folder}`,
  },
  EROFS: { reason: 'read_only', say: (folder) => `The disk that holds ${folder} is read-only` },
  EACCES: {
    reason: 'no_permission',
    say: (_folder, path) => `Custodian is not allowed to use ${path} (permission denied)`,
  },
  EPERM: {
    reason: 'no_permission',
    say: (_folder, path) => `Custodian is not allowed to change ${path} (operation not permitted)`,
  },
  EIO: {
    reason: 'io_error',
    say: (folder) => `The disk that holds ${folder} reported an input/output error`,
  },
  ENOENT: {
    reason: 'missing',
    say: (folder) => `${folder} is gone: it was deleted or moved while Custodian ran`,
  },
  ENOTDIR: {
    reason: 'missing',
    say: (folder) => `${folder} is no longer a folder: it was replaced while Custodian ran`,
  },
};

/** The errno code of a Node file-system error, if `error` is one. */
export function errnoOf(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** Whether `error` is a file-system fault this module words (disk full, read-only, …). */
export function isFsFault(error: unknown): boolean {
  const code = errnoOf(error);
  return code !== undefined && code in FAULTS;
}

/**
 * The person's words for a failed file operation on `path`: "No space left on
 * the disk that holds /…/Custodian; nothing was saved." `consequence` says what
 * the failure means for the data. A CustodianError passes through unchanged,
 * and so does anything that is not a known errno fault (a bug stays a bug and
 * reaches the boundary as `internal`).
 */
export function describeFsError(error: unknown, path: string, consequence: string): unknown {
  if (error instanceof CustodianError) return error;
  const code = errnoOf(error);
  const fault = code ? FAULTS[code] : undefined;
  if (!fault) return error;
  return new CustodianError(
    'storage_failed',
    `${fault.say(dirname(path), path)}; ${consequence}.`,
    {
      reason: fault.reason,
    },
  );
}

/** Runs `operation`; a file-system fault leaves it as describeFsError's CustodianError. */
export async function wordFsErrors<T>(
  path: string,
  consequence: string,
  operation: () => Promise<T>,
): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw describeFsError(error, path, consequence);
  }
}
