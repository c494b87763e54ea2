import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostMessage } from '../../shared/plugin-host-protocol';
import type { HostLauncher } from '../core/plugins/host-transport';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the plugin host's entry is: the bundle when built, else the source run through tsx. */
export function defaultHostEntry(): { entry: string; execArgv: string[] } {
  const built = join(repo, 'out', 'main', 'plugin-host.js');
  const source = join(repo, 'electron', 'plugin-host', 'index.ts');
  if (process.env.CUSTODIAN_PLUGIN_HOST_FROM_SOURCE !== '1' && existsSync(built))
    return { entry: built, execArgv: [] };
  return { entry: source, execArgv: ['--import', 'tsx'] };
}

/**
 * The headless plugin host: the same entry file as the app's utility process,
 * started with child_process.fork. 'advanced' serialization carries the wasm
 * bytes as a Uint8Array, as Electron's structured clone does.
 */
export function forkHostLauncher(target = defaultHostEntry()): HostLauncher {
  return () => {
    const child = fork(target.entry, [], {
      execArgv: target.execArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // The host needs no secrets from the environment.
      env: { PATH: process.env.PATH ?? '', NODE_ENV: process.env.NODE_ENV ?? 'production' },
    });
    return {
      pid: child.pid,
      send: (message) => {
        if (child.connected) child.send(message);
        else throw new Error('The plugin host is not connected');
      },
      onMessage: (listener) => child.on('message', (message) => listener(message as HostMessage)),
      onExit: (listener) => child.on('exit', (code) => listener(code)),
      kill: () => {
        child.kill('SIGKILL');
      },
    };
  };
}
