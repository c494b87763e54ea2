import { originOf } from '../security/origin';

// Where the window loads the renderer from, and therefore the only origins the
// navigation guard and the IPC sender check accept.

export const APP_SCHEME = 'app';
export const APP_HOST = 'custodian';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export interface RendererTarget {
  /** The URL the window loads. */
  url: string;
  /** Exactly one origin: the app's, or the dev server's in development. */
  allowedOrigins: readonly string[];
  /** True when loading from `electron-vite dev`'s server. */
  dev: boolean;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The packaged app always loads app://custodian/index.html. Only an unpackaged
 * app started by `electron-vite dev` (which sets ELECTRON_RENDERER_URL) loads
 * from the dev server, and only when that server is plain http(s) on loopback:
 * the variable can never point a window at a remote page.
 */
export function chooseRendererTarget(options: {
  isPackaged: boolean;
  devServerUrl: string | undefined;
}): RendererTarget {
  const { isPackaged, devServerUrl } = options;
  if (!isPackaged && devServerUrl) {
    const origin = originOf(devServerUrl);
    if (origin && !origin.startsWith('app:') && LOOPBACK_HOSTS.has(new URL(origin).hostname)) {
      return { url: devServerUrl, allowedOrigins: [origin], dev: true };
    }
  }
  return { url: APP_ENTRY_URL, allowedOrigins: [APP_ORIGIN], dev: false };
}
