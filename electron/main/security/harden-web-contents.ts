import type { WebContents } from 'electron';
import { denyWindowOpen, isAllowedNavigation } from './navigation';
import { hardenSession } from './permissions';

// Applied to every webContents the app creates ('web-contents-created'), so a
// window added later cannot forget them. Uses only the object it is given, so
// tests drive it with a plain event emitter.

export type HardenableWebContents = Pick<WebContents, 'on' | 'setWindowOpenHandler' | 'session'>;

interface Preventable {
  preventDefault(): void;
}

export function hardenWebContents(
  contents: HardenableWebContents,
  allowedOrigins: readonly string[],
  log: (message: string) => void = () => {},
): void {
  const guard = (kind: string) => (event: Preventable & { url: string }) => {
    if (isAllowedNavigation(event.url, allowedOrigins)) return;
    event.preventDefault();
    log(`Blocked ${kind} to ${describeUrl(event.url)}`);
  };
  contents.on('will-navigate', guard('navigation'));
  contents.on('will-redirect', guard('redirect'));
  contents.on('will-frame-navigate', (event) => {
    // will-navigate covers the main frame; sub-frames may not navigate at all.
    if (event.isMainFrame) return;
    event.preventDefault();
    log(`Blocked sub-frame navigation to ${describeUrl(event.url)}`);
  });
  contents.setWindowOpenHandler(denyWindowOpen);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  hardenSession(contents.session);
}

/** Where a page tried to go, without a query string that might hold data. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`.slice(0, 200);
  } catch {
    return 'an unparsable URL';
  }
}
