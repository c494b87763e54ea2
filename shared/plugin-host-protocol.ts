import type { Capabilities } from './manifest';

// Messages between main and the plugin host process (Electron utilityProcess
// in the app, child_process.fork headless). Main sends requests with an id;
// the host answers each once. A cancel names a request main no longer waits
// for: a call not yet started never starts, a running one has its worker
// terminated. Both ends run on the RPC core (shared/rpc). Nothing here is
// persisted.

export type PluginAbi = 'extism' | 'vultrino';

export interface PluginLimits {
  timeoutMs: number;
  memoryBytes: number;
  outputBytes: number;
}

/** What the checked fetch may reach for this plugin. */
export interface HttpGrant {
  hosts: string[];
  /**
   * Exact host:port pairs on loopback or private addresses that the operator
   * (never the plugin) allowed: tests and local development only.
   */
  allowPrivate: string[];
}

export type HostRequest =
  | {
      id: number;
      kind: 'load';
      plugin: string;
      wasm: Uint8Array;
      limits: PluginLimits;
      /** Granted capabilities: the host offers only these host functions. */
      grants: Pick<Capabilities, 'crypto' | 'log'> & { http: HttpGrant };
    }
  | {
      id: number;
      kind: 'call';
      plugin: string;
      input: string;
      /** The handles in this call's input and what they stand for; valid for this call only. */
      secrets?: SecretHandle[];
      /** The credential's allowed_hosts, when it has them: {{secret:…}} is filled only for these. */
      secretHosts?: string[];
      /** A type's import call: custodian_http and custodian_log refuse, the plugin's log is dropped. */
      importing?: boolean;
    }
  | { id: number; kind: 'unload'; plugin: string }
  | { id: number; kind: 'ping' };

/** One secret field of the call's credential, as the plugin sees it (handle) and as the host uses it (value). */
export interface SecretHandle {
  handle: string;
  field: string;
  value: string;
}

/** Withdraws request `id`; it is answered (failure 'cancelled') if it is still open. */
export interface HostCancel {
  id: number;
  kind: 'cancel';
}

export type HostInbound = HostRequest | HostCancel;

export type HostFailure =
  | 'timeout'
  | 'memory'
  | 'output_too_large'
  | 'trap'
  | 'not_loaded'
  | 'invalid_module'
  | 'capability_denied'
  | 'cancelled'
  | 'error';

export type HostResponse =
  | { id: number; ok: true; kind: 'loaded'; abi: PluginAbi }
  | { id: number; ok: true; kind: 'output'; output: string }
  | { id: number; ok: true; kind: 'unloaded' | 'pong' }
  | { id: number; ok: false; failure: HostFailure; message: string };

/** Unsolicited messages from the host. */
export type HostEvent =
  | { kind: 'ready' }
  | { kind: 'log'; plugin: string; level: 'debug' | 'info' | 'warn' | 'error'; message: string };

export type HostMessage = HostResponse | HostEvent;
