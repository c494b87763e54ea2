import type { HostInbound, HostMessage } from '../../../shared/plugin-host-protocol';

/**
 * One running plugin host process, as main sees it. The Electron root makes
 * these with utilityProcess.fork, the headless root with child_process.fork.
 */
export interface HostTransport {
  send(message: HostInbound): void;
  onMessage(listener: (message: HostMessage) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
  readonly pid: number | undefined;
}

export type HostLauncher = () => HostTransport;
