import { watch } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, powerMonitor, session, type BrowserWindow, type Tray } from 'electron';
import { createCore, type Core } from '../core/create-core';
import { installLastResort } from '../core/last-resort';
import { loadBundledStore } from '../core/store/bundled-store';
import { KeytarKeyStore } from '../core/keychain/keytar-key-store';
import { wireAutoLock } from './app/auto-lock-wiring';
import { bridgeCommand, bundledMcpbPath } from './app/bridge-command';
import { pickBundleTarget } from './app/pick-bundle-target';
import { createQuitGuard } from './app/quit-guard';
import { chooseRendererTarget } from './app/renderer-target';
import { claimSingleInstance } from './app/single-instance';
import { pickPluginArchive } from './store/pick-archive';
import { bundledStoreDir } from './store/store-location';
import { forwardCoreEvents } from './ipc/ipc-handlers';
import { utilityHostLauncher } from './plugins/utility-host-launcher';
import { registerIpcRouter } from './ipc/router';
import { handleAppProtocol, registerAppScheme } from './protocol/app-protocol';
import { hardenWebContents } from './security/harden-web-contents';
import { hardenSession } from './security/permissions';
import { createMainWindow } from './window/create-window';
import { createTray } from './tray/tray';
import { focusWindow } from './window/focus-window';

// The Electron composition root: lifecycle, one hardened window, the app://
// protocol, the IPC router, auto-lock. Every decision lives in a small pure
// module beside this one; this file only connects them to Electron.

const here = dirname(fileURLToPath(import.meta.url));
const log = (message: string): void => console.error(`[custodian] ${message}`);
// An error nobody caught is logged by name and place, and the app keeps serving.
installLastResort({ label: 'custodian', log: (line) => console.error(line) });

const target = chooseRendererTarget({
  isPackaged: app.isPackaged,
  devServerUrl: process.env.ELECTRON_RENDERER_URL,
});
let mainWindow: BrowserWindow | null = null;
let tray: Tray | null = null;
// Set once the core is up; a second launch or a dock click before that has nothing to open.
let openWindow: (() => void) | undefined;
const showWindow = (): void => {
  if (!focusWindow(mainWindow)) openWindow?.();
};

app.enableSandbox();
registerAppScheme();
app.on('web-contents-created', (_event, contents) =>
  hardenWebContents(contents, target.allowedOrigins, log),
);

if (!claimSingleInstance(app, showWindow)) {
  app.quit();
} else {
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : 'unknown error';
      log(`Startup failed: ${message}`);
      dialog.showErrorBox('Custodian could not start', message);
      app.exit(1);
    });
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession);
  handleAppProtocol(join(here, '../renderer'));

  const core: Core = await createCore({
    dataDir: app.getPath('userData'),
    keyStore: new KeytarKeyStore(),
    log,
    launchPluginHost: utilityHostLauncher(join(here, 'plugin-host.js')),
    appVersion: app.getVersion(),
    // Plugin authors see a rebuilt plugin at once; a packaged app does not watch.
    watch: app.isPackaged ? undefined : watch,
    // A call that needs the person brings the window forward with the approval dialog.
    approvals: { kind: 'window', bringForward: () => showWindow() },
    // The command line's admin channel asks the person here: a session, and each weakening change.
    admin: 'ask',
    bridgeCommand: bridgeCommand({
      isPackaged: app.isPackaged,
      execPath: process.execPath,
      resourcesPath: process.resourcesPath,
      mainDir: here,
    }),
    store: {
      bundled: await loadBundledStore(
        bundledStoreDir({
          isPackaged: app.isPackaged,
          resourcesPath: process.resourcesPath,
          mainDir: here,
        }),
      ),
      pickFile: () => pickPluginArchive(mainWindow),
    },
    claudeBundle: {
      path: bundledMcpbPath({
        isPackaged: app.isPackaged,
        resourcesPath: process.resourcesPath,
        mainDir: here,
      }),
      pickSaveTarget: () => pickBundleTarget(mainWindow),
    },
  });
  // Agents reach the app through the local socket; a failure leaves the window working.
  core
    .startBridge()
    .catch((error: Error) => log(`The agent bridge could not start: ${error.message}`));

  const autoLock = wireAutoLock({
    settings: core.settings,
    events: core.events,
    isUnlocked: () => core.vault.isUnlocked,
    // Through the core's handler, so the window hears 'vault:changed' and shows the lock screen.
    lock: async () => {
      const answer = await core.dispatch('vault:lock', {});
      if ('error' in answer) log(`Auto-lock failed: ${answer.error.code}`);
    },
    log,
  });
  // Its timer ends with the core, like every other participant.
  core.lifecycle.register({ name: 'auto-lock', shutdown: () => autoLock.dispose() });
  powerMonitor.on('suspend', () => autoLock.suspend());
  powerMonitor.on('lock-screen', () => autoLock.screenLocked());

  registerIpcRouter({
    dispatch: core.dispatch,
    allowedOrigins: target.allowedOrigins,
    onActivity: () => autoLock.activity(),
    log,
  });
  forwardCoreEvents(core.events, () => mainWindow?.webContents ?? null, target.allowedOrigins);

  app.on(
    'before-quit',
    createQuitGuard({
      isUnlocked: () => core.vault.isUnlocked,
      lock: async () => {
        tray?.destroy();
        tray = null;
        await core.close();
      },
      quit: () => app.quit(),
      log,
    }),
  );

  openWindow = (): void => {
    mainWindow = createMainWindow({
      preloadPath: join(here, '../preload/index.cjs'),
      isPackaged: app.isPackaged,
      url: target.url,
      onInput: () => autoLock.activity(),
    });
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  };
  openWindow();
  // Kept in a module variable: a tray that is garbage-collected disappears.
  tray = createTray({
    core,
    // Electron's tray cannot draw SVG; the PNG is made from favicon.svg.
    iconPath: join(here, '../renderer/tray-icon.png'),
    open: showWindow,
    quit: () => app.quit(),
    log,
  });

  app.on('activate', showWindow);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
