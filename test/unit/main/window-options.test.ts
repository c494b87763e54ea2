import { describe, expect, it } from 'vitest';
import { buildWindowOptions } from '../../../electron/main/window/window-options';

describe('buildWindowOptions', () => {
  const packaged = buildWindowOptions({
    preloadPath: '/app/out/preload/index.cjs',
    isPackaged: true,
  });
  const web = packaged.webPreferences ?? {};

  it('sets every security flag of the checklist explicitly', () => {
    expect(web).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    });
    // Explicit, not left to defaults: each key is present with exactly that value.
    for (const key of ['sandbox', 'contextIsolation', 'nodeIntegration', 'webSecurity'] as const) {
      expect(Object.hasOwn(web, key)).toBe(true);
    }
  });

  it('enables nothing that widens the renderer', () => {
    expect(web.enableBlinkFeatures).toBeUndefined();
    expect(web.additionalArguments).toBeUndefined();
    expect(web.plugins ?? false).toBe(false);
    expect(web.partition).toBeUndefined();
  });

  it('loads the given preload, the bundled CommonJS file', () => {
    expect(web.preload).toBe('/app/out/preload/index.cjs');
  });

  it('offers devTools only when not packaged', () => {
    expect(web.devTools).toBe(false);
    const dev = buildWindowOptions({ preloadPath: '/p.cjs', isPackaged: false });
    expect(dev.webPreferences?.devTools).toBe(true);
    // The rest stays hardened in development too.
    expect(dev.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    });
  });

  it('keeps the window hidden until ready-to-show', () => {
    expect(packaged.show).toBe(false);
  });
});
