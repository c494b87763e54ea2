import { utilityProcess } from 'electron';
import type { HostMessage } from '../../../shared/plugin-host-protocol';
import type { HostLauncher } from '../../core/plugins/host-transport';

/**
 * The app's plugin host: an Electron utility process running the same entry
 * file as the headless fork. It gets no environment beyond PATH: plugins have
 * no business with the person's variables.
 */
export function utilityHostLauncher(entry: string): HostLauncher {
  return () => {
    const child = utilityProcess.fork(entry, [], {
      serviceName: 'Custodian plugin host',
      env: { PATH: process.env.PATH ?? '' },
      stdio: 'inherit',
    });
    return {
      get pid() {
        return child.pid;
      },
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', (message) => listener(message as HostMessage)),
      onExit: (listener) => child.on('exit', (code) => listener(code)),
      kill: () => {
        child.kill();
      },
    };
  };
}
