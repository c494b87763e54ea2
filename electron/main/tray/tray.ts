import { Menu, nativeImage, Tray } from 'electron';
import type { Core } from '../../core/create-core';
import { THE_PERSON, type UseCaseInput, type UseCaseName } from '../../core/use-cases';
import { TrayController } from './tray-controller';

// The Electron side of the tray: draws TrayController's menu and redraws it
// whenever the vault, the tools or the connected agents change. The tray is an
// adapter like the window's IPC: every read and click is a use case run for
// the person, so each rule (who may, unlocked or not) is the use case's own.

export interface TrayOptions {
  core: Core;
  iconPath: string;
  open: () => void;
  quit: () => void;
  log: (message: string) => void;
}

export function createTray(options: TrayOptions): Tray {
  const { core } = options;
  const asPerson = <N extends UseCaseName>(name: N, input: UseCaseInput<N>) =>
    core.run(name, input, THE_PERSON);
  const tray = new Tray(nativeImage.createFromPath(options.iconPath));
  tray.setToolTip('Custodian');
  const controller = new TrayController({
    vaultState: async () => (await asPerson('vault.status', {})).state,
    problem: async () => (await asPerson('vault.status', {})).problem,
    clients: () => asPerson('clients.list', {}),
    tools: () => asPerson('tools.list', {}),
    setMode: (name, mode) => asPerson('tools.setMode', { name, mode }),
    lock: () => asPerson('vault.lock', {}),
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
