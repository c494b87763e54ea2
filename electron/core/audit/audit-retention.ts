import { join } from 'node:path';
import { parseLine } from './audit-chain';
import { linkOf, type AuditLine, type AuditSpan } from './audit-entry';
import { readTextIfExists, rotatedFiles, splitLines, type AuditFileSystem } from './audit-files';

// How long rotated files are kept. The rule: at least the last 30 days or
// 50 MB, whichever is more. So a rotated file may go only when the files
// newer than it already hold 50 MB *and* its newest entry is older than 30
// days: a flood can fill megabytes in seconds, but it cannot make time pass.

export interface RetentionPolicy {
  /** Bytes always kept, counted from the newest entry back. */
  retainBytes: number;
  /** Milliseconds always kept, counted back from now. */
  retainMs: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  retainBytes: 50 * 1024 * 1024,
  retainMs: 30 * 24 * 60 * 60 * 1000,
};

/**
 * Whether the oldest rotated file may be dropped, given the bytes of every
 * file newer than it and the time of its newest entry (null: nothing in it
 * reads as an entry, so nothing says it is old; it stays).
 */
export function mayDrop(
  newerBytes: number,
  newestMs: number | null,
  now: number,
  policy: RetentionPolicy,
): boolean {
  return newerBytes >= policy.retainBytes && newestMs !== null && newestMs < now - policy.retainMs;
}

/** A dropped file and the entries it held, as the log's "rotated" entry names them. */
export type DroppedFile = AuditSpan & { file: string };

/** Deletes the oldest rotated files that retention no longer keeps, oldest first, and names each. */
export async function dropExpired(
  fs: AuditFileSystem,
  folder: string,
  now: number,
  policy: RetentionPolicy,
): Promise<DroppedFile[]> {
  const names = await rotatedFiles(fs, folder);
  const sizes = await Promise.all(
    names.map(async (name) => (await fs.stat(join(folder, name))).size),
  );
  let newerBytes = sizes.reduce((sum, size) => sum + size, 0);
  const dropped: DroppedFile[] = [];
  for (const [index, name] of names.entries()) {
    newerBytes -= sizes[index] ?? 0;
    const path = join(folder, name);
    const lines = splitLines((await readTextIfExists(fs, path)) ?? '')
      .map(parseLine)
      .filter((line): line is AuditLine => line !== null);
    const first = lines[0];
    const newest = lines.at(-1);
    if (!first || !newest) break;
    if (!mayDrop(newerBytes, Date.parse(newest.time), now, policy)) break;
    await fs.unlink(path);
    dropped.push({ file: name, firstSeq: first.seq, lastSeq: newest.seq, last: linkOf(newest) });
  }
  return dropped;
}
