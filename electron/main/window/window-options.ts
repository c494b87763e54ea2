import type { BrowserWindowConstructorOptions } from 'electron';

export interface WindowOptionsInput {
  /** Absolute path of the bundled preload (out/preload/index.cjs). */
  preloadPath: string;
  isPackaged: boolean;
}

/**
 * The one window's options: every item of Electron's security checklist that
 * lives in webPreferences is set explicitly, even where it is the default, so
 * a changed default or a careless edit shows up in the tests.
 */
export function buildWindowOptions({
  preloadPath,
  isPackaged,
}: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    title: 'Custodian',
    width: 1100,
    height: 760,
    minWidth: 640,
    minHeight: 480,
    // Shown on 'ready-to-show', so the person never sees an empty white frame.
    show: false,
    backgroundColor: '#1b1d23',
    webPreferences: {
      preload: preloadPath,
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
      devTools: !isPackaged,
    },
  };
}
