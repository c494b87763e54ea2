/**
 * The first 12 hex digits of a payload hash: enough to match a dialog to its
 * audit entry by eye, short enough to read. Any "sha256:" prefix is dropped.
 */
export function shortHash(hash: string): string {
  const hex = hash.includes(':') ? hash.slice(hash.lastIndexOf(':') + 1) : hash;
  return hex.slice(0, 12);
}
