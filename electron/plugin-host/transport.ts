import type { HostMessage } from '../../shared/plugin-host-protocol';

// How the host talks to main, found at run time so this file never imports
// electron: in an Electron utilityProcess, process.parentPort (its 'message'
// events carry the payload in .data); under child_process.fork, process.send
// and process.on('message').

export interface Transport {
  kind: 'utility-process' | 'fork';
  send(message: HostMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Main went away: the host has nothing left to do. */
  onDisconnect(listener: () => void): void;
}

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
}

export function detectTransport(proc: NodeJS.Process = process): Transport {
  const parentPort = (proc as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
  if (parentPort && typeof parentPort.postMessage === 'function') {
    return {
      kind: 'utility-process',
      send: (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event?.data)),
      onDisconnect: (listener) => parentPort.on('close', listener),
    };
  }
  if (typeof proc.send === 'function') {
    return {
      kind: 'fork',
      send: (message) => {
        if (proc.connected) proc.send?.(message);
      },
      onMessage: (listener) => proc.on('message', listener),
      onDisconnect: (listener) => proc.on('disconnect', listener),
    };
  }
  throw new Error(
    'the plugin host must be started by Custodian (utilityProcess or child_process.fork)',
  );
}
