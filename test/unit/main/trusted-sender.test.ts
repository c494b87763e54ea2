import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  chooseRendererTarget,
} from '../../../electron/main/app/renderer-target';
import { originOf } from '../../../electron/main/security/origin';
import { isTrustedSender } from '../../../electron/main/security/trusted-sender';

const app = [APP_ORIGIN];

describe('isTrustedSender', () => {
  it("accepts the main frame of the app's page", () => {
    expect(
      isTrustedSender({ senderUrl: 'app://custodian/index.html', isMainFrame: true }, app),
    ).toBe(true);
    expect(isTrustedSender({ senderUrl: 'app://custodian/', isMainFrame: true }, app)).toBe(true);
  });

  it('refuses a sub-frame, even on the app origin', () => {
    expect(
      isTrustedSender({ senderUrl: 'app://custodian/index.html', isMainFrame: false }, app),
    ).toBe(false);
  });

  it('refuses foreign origins', () => {
    for (const senderUrl of [
      'https://evil.example/',
      'http://evil.example/',
      'file:///work/main/out/renderer/index.html',
      'app://other/index.html',
      'app://custodian.evil.example/',
      'app://custodian:8080/index.html',
      'data:text/html,hi',
      'about:blank',
      '',
      'garbage',
    ]) {
      expect(isTrustedSender({ senderUrl, isMainFrame: true }, app), senderUrl).toBe(false);
    }
  });

  it('refuses a missing sender (a frame already destroyed)', () => {
    expect(isTrustedSender(null, app)).toBe(false);
    expect(isTrustedSender(undefined, app)).toBe(false);
  });

  it('accepts the dev origin only when it is the configured origin', () => {
    const dev = { senderUrl: 'http://localhost:5173/', isMainFrame: true };
    expect(isTrustedSender(dev, app)).toBe(false);
    expect(isTrustedSender(dev, ['http://localhost:5173'])).toBe(true);
    // Configured for dev, the app origin is no longer accepted either: exactly one origin.
    expect(
      isTrustedSender({ senderUrl: APP_ENTRY_URL, isMainFrame: true }, ['http://localhost:5173']),
    ).toBe(false);
  });
});

describe('originOf', () => {
  it('computes app:// origins as Chromium does for a standard scheme', () => {
    expect(originOf('app://custodian/index.html')).toBe('app://custodian');
    expect(originOf('app://CUSTODIAN/x.js')).toBe('app://custodian');
    expect(originOf('https://example.com:443/a')).toBe('https://example.com');
  });

  it('gives no origin to schemes we never trust', () => {
    for (const url of [
      'file:///x',
      'data:,x',
      'about:blank',
      'javascript:1',
      'blob:app://custodian/x',
      'app:x',
    ]) {
      expect(originOf(url), url).toBeNull();
    }
  });
});

describe('chooseRendererTarget', () => {
  it('loads app://custodian/index.html when packaged, whatever the environment says', () => {
    const target = chooseRendererTarget({
      isPackaged: true,
      devServerUrl: 'http://localhost:5173/',
    });
    expect(target).toEqual({ url: APP_ENTRY_URL, allowedOrigins: [APP_ORIGIN], dev: false });
  });

  it('uses the dev server only unpackaged, and then accepts that origin only', () => {
    const target = chooseRendererTarget({
      isPackaged: false,
      devServerUrl: 'http://localhost:5173/',
    });
    expect(target).toEqual({
      url: 'http://localhost:5173/',
      allowedOrigins: ['http://localhost:5173'],
      dev: true,
    });
  });

  it('never loads from file:// and ignores a dev URL that is not loopback http(s)', () => {
    for (const devServerUrl of [
      'https://evil.example/',
      'file:///tmp/index.html',
      'app://other/',
      'http://192.168.1.5:5173/',
      'garbage',
      undefined,
    ]) {
      const target = chooseRendererTarget({ isPackaged: false, devServerUrl });
      expect(target.url, String(devServerUrl)).toBe(APP_ENTRY_URL);
      expect(target.allowedOrigins).toEqual([APP_ORIGIN]);
    }
  });
});
