import { ipcMain } from 'electron';
import { CHANNELS } from '../../../shared/ipc/channels';
import { createIpcHandlers } from './ipc-handlers';
import type { RouteDeps } from './route-call';

/**
 * The only place main touches ipcMain: one invoke handler per channel of the
 * contract, each checking the sender before the core sees the payload.
 * Returns a function that removes them.
 */
export function registerIpcRouter(deps: RouteDeps): () => void {
  const handlers = createIpcHandlers(deps);
  for (const channel of CHANNELS) ipcMain.handle(channel, handlers[channel]);
  return () => {
    for (const channel of CHANNELS) ipcMain.removeHandler(channel);
  };
}
