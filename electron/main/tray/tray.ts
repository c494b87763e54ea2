import { Menu, nativeImage, Tray } from 'electron';
import type { Core } from '../../core/create-core';
import { TrayController } from './tray-controller';

// The Electron side of the tray: draws TrayController's menu and redraws it
// whenever the vault, the tools or the connected agents change.

export interface TrayOptions {
  core: Core;
  iconPath: string;
  open: () => void;
  quit: () => void;
  log: (message: string) => void;
}

export function createTray(options: TrayOptions): Tray {
  const { core } = options;
  const tray = new Tray(nativeImage.createFromPath(options.iconPath));
  tray.setToolTip('Custodian');
  const controller = new TrayController({
    vaultState: () => core.vault.state(),
    clients: () => core.clients().map((c) => ({ name: c.client.name })),
    tools: () => core.agents.tools(),
    setMode: (tool, mode) => core.agents.setMode(tool, mode),
    lock: () => core.dispatch('vault:lock', {}),
    open: options.open,
    quit: options.quit,
    log: options.log,
  });
  const redraw = async () => {
    const items = await controller.menu();
    tray.setContextMenu(
      Menu.buildFromTemplate(
        items.map((item) => ({
          ...item,
          click: (menuItem) => void controller.click(item.id, menuItem.checked),
        })),
      ),
    );
  };
  const later = () => void redraw().catch((error: Error) => options.log(`Tray: ${error.message}`));
  core.events.on('vault:changed', later);
  core.events.on('tools:changed', later);
  core.events.on('agents:changed', later);
  core.events.on('plugins:changed', later);
  later();
  return tray;
}
