import { BrowserWindow } from 'electron';
import { buildWindowOptions } from './window-options';

export interface MainWindowOptions {
  preloadPath: string;
  isPackaged: boolean;
  url: string;
  /** Key presses in the window count as activity for the auto-lock. */
  onInput: () => void;
}

/** The one window: hardened options, shown when painted, loading only the renderer URL. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow(
    buildWindowOptions({ preloadPath: options.preloadPath, isPackaged: options.isPackaged }),
  );
  window.once('ready-to-show', () => window.show());
  window.webContents.on('before-input-event', () => options.onInput());
  void window.loadURL(options.url);
  return window;
}
