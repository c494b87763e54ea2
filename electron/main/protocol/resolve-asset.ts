import { extname, resolve, sep } from 'node:path';

// Maps a request on the app:// protocol to a file of the built renderer. The
// result always lies inside `root`: "..", ".", encoded separators, NUL,
// backslashes, drive letters and absolute paths resolve to null, never to a
// file elsewhere, and only the file types a Vite build emits are served.

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface ResolvedAsset {
  file: string;
  contentType: string;
}

// %2F and %5C would become separators only after decoding; %00 a NUL.
const ENCODED_SEPARATOR_OR_NUL = /%(?:2f|5c|00)/i;

export function resolveRendererAsset(root: string, pathname: string): ResolvedAsset | null {
  if (ENCODED_SEPARATOR_OR_NUL.test(pathname)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded === '' || decoded === '/') decoded = '/index.html';
  if (!decoded.startsWith('/')) return null;
  const segments = decoded.slice(1).split('/');
  // Empty segments ("//etc"), dot segments, hidden files and drive letters ("C:") are refused outright.
  if (segments.some((s) => s === '' || s.startsWith('.') || s.includes(':'))) return null;
  const base = resolve(root);
  const file = resolve(base, ...segments);
  if (!file.startsWith(base + sep)) return null;
  const contentType = CONTENT_TYPES[extname(file).toLowerCase()];
  return contentType ? { file, contentType } : null;
}
