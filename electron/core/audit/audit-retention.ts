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
