import { readFile, realpath } from 'node:fs/promises';
import { sep } from 'node:path';
import { APP_HOST } from '../app/renderer-target';
import { CONTENT_SECURITY_POLICY } from '../security/csp';
import { resolveRendererAsset } from './resolve-asset';

export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | null;
}

/** Sent with every response of the app:// protocol, errors included. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cache-Control': 'no-cache',
};

export type ReadAsset = (root: string, file: string) => Promise<Uint8Array | null>;

/**
 * Reads a file that resolveRendererAsset placed inside root, after following
 * symbolic links: a link out of the renderer folder is not served.
 */
export const readContainedFile: ReadAsset = async (root, file) => {
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    if (!realFile.startsWith(realRoot + sep)) return null;
    return await readFile(realFile);
  } catch {
    return null;
  }
};

function plain(status: number, text: string): AppResponse {
  return {
    status,
    headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
    body: new TextEncoder().encode(text),
  };
}

/**
 * Answers one app:// request from the built renderer in `root`: GET or HEAD
 * on app://custodian/<file>, with the CSP and nosniff headers; 404 for
 * anything that does not resolve to a file inside root.
 */
export async function respondToAppRequest(
  request: { url: string; method: string },
  root: string,
  read: ReadAsset = readContainedFile,
): Promise<AppResponse> {
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return plain(405, 'Method not allowed');
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return plain(404, 'Not found');
  }
  if (url.protocol !== 'app:' || url.host.toLowerCase() !== APP_HOST)
    return plain(404, 'Not found');
  const asset = resolveRendererAsset(root, url.pathname);
  if (!asset) return plain(404, 'Not found');
  const body = await read(root, asset.file);
  if (!body) return plain(404, 'Not found');
  return {
    status: 200,
    headers: { ...SECURITY_HEADERS, 'Content-Type': asset.contentType },
    body: request.method === 'HEAD' ? null : body,
  };
}
