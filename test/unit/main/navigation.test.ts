import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN } from '../../../electron/main/app/renderer-target';
import {
  hardenWebContents,
  type HardenableWebContents,
} from '../../../electron/main/security/harden-web-contents';
import { denyWindowOpen, isAllowedNavigation } from '../../../electron/main/security/navigation';

const app = [APP_ORIGIN];

describe('isAllowedNavigation', () => {
  it('allows only a reload of the entry page of the app origin', () => {
    expect(isAllowedNavigation('app://custodian/index.html', app)).toBe(true);
    expect(isAllowedNavigation('app://custodian/', app)).toBe(true);
  });

  it('refuses other origins, file://, http:// and script URLs', () => {
    for (const url of [
      'https://evil.example/',
      'http://evil.example/index.html',
      'http://localhost:5173/',
      'file:///etc/passwd',
      'file:///work/main/out/renderer/index.html',
      'app://other/index.html',
      'app://custodian.evil.example/index.html',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'about:blank',
      'blob:app://custodian/1234',
      'not a url',
      '',
    ]) {
      expect(isAllowedNavigation(url, app), url).toBe(false);
    }
  });

  it('refuses other pages of the app origin', () => {
    expect(isAllowedNavigation('app://custodian/assets/evil.html', app)).toBe(false);
  });

  it('accepts the dev origin only when it is the configured one', () => {
    expect(isAllowedNavigation('http://localhost:5173/', ['http://localhost:5173'])).toBe(true);
    expect(isAllowedNavigation('http://localhost:5174/', ['http://localhost:5173'])).toBe(false);
    expect(isAllowedNavigation('app://custodian/index.html', ['http://localhost:5173'])).toBe(
      false,
    );
  });
});

describe('denyWindowOpen', () => {
  it('denies every new window', () => {
    expect(denyWindowOpen()).toEqual({ action: 'deny' });
    expect(
      denyWindowOpen({
        url: 'app://custodian/index.html',
        frameName: '',
        features: '',
        disposition: 'foreground-tab',
        referrer: { url: '', policy: 'no-referrer' },
        postBody: undefined,
      } as Parameters<typeof denyWindowOpen>[0]),
    ).toEqual({ action: 'deny' });
  });
});

/** A webContents made of an event emitter: enough to see what hardenWebContents attaches. */
function fakeContents() {
  const emitter = new EventEmitter();
  const session = Object.assign(new EventEmitter(), {
    requestHandler: undefined as unknown,
    checkHandler: undefined as unknown,
    deviceHandler: undefined as unknown,
    setPermissionRequestHandler(handler: unknown) {
      this.requestHandler = handler;
    },
    setPermissionCheckHandler(handler: unknown) {
      this.checkHandler = handler;
    },
    setDevicePermissionHandler(handler: unknown) {
      this.deviceHandler = handler;
    },
  });
  let windowOpenHandler: ((details: unknown) => unknown) | undefined;
  const contents = {
    on: (event: string, listener: (...args: unknown[]) => void) => emitter.on(event, listener),
    setWindowOpenHandler: (handler: (details: unknown) => unknown) => {
      windowOpenHandler = handler;
    },
    session,
  };
  const fire = (event: string, details: Record<string, unknown>) => {
    let prevented = false;
    emitter.emit(event, { ...details, preventDefault: () => (prevented = true) }, details.url);
    return prevented;
  };
  return {
    contents: contents as unknown as HardenableWebContents,
    fire,
    session,
    openWindow: (url: string) => windowOpenHandler?.({ url }),
  };
}

describe('hardenWebContents', () => {
  it('prevents navigation and redirects away from the app', () => {
    const fake = fakeContents();
    hardenWebContents(fake.contents, app);
    expect(fake.fire('will-navigate', { url: 'https://evil.example/' })).toBe(true);
    expect(fake.fire('will-navigate', { url: 'file:///etc/passwd' })).toBe(true);
    expect(fake.fire('will-redirect', { url: 'http://evil.example/' })).toBe(true);
    expect(fake.fire('will-navigate', { url: 'app://custodian/index.html' })).toBe(false);
  });

  it('prevents every sub-frame navigation, even to the app origin', () => {
    const fake = fakeContents();
    hardenWebContents(fake.contents, app);
    const sub = { url: 'app://custodian/index.html', isMainFrame: false };
    expect(fake.fire('will-frame-navigate', sub)).toBe(true);
  });

  it('denies window.open and prevents <webview>', () => {
    const fake = fakeContents();
    hardenWebContents(fake.contents, app);
    expect(fake.openWindow('app://custodian/index.html')).toEqual({ action: 'deny' });
    expect(fake.openWindow('https://evil.example/')).toEqual({ action: 'deny' });
    expect(fake.fire('will-attach-webview', {})).toBe(true);
  });

  it("denies the session's permissions and downloads", () => {
    const fake = fakeContents();
    hardenWebContents(fake.contents, app);
    let granted: boolean | undefined;
    (fake.session.requestHandler as (w: unknown, p: string, cb: (g: boolean) => void) => void)(
      null,
      'media',
      (g) => (granted = g),
    );
    expect(granted).toBe(false);
    expect((fake.session.checkHandler as () => boolean)()).toBe(false);
    let prevented = false;
    fake.session.emit('will-download', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
  });
});
