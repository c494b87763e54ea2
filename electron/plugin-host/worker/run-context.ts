import type { HostRpc } from './host-rpc';
import type { PluginLogForwarder } from './plugin-log';

// What one run of a plugin (a probe or a call) needs, whichever ABI it speaks.

export interface RunContext {
  /** The compiled module; every run makes a fresh instance of it. */
  module: WebAssembly.Module;
  memoryBytes: number;
  maxPages: number;
  outputBytes: number;
  /** Extism host functions the module imports. */
  hostFunctions: string[];
  rpc: HostRpc;
  log: PluginLogForwarder;
}

/**
 * Instantiates the module, and for a call (input given) runs it: the output,
 * or null for a probe. Throws a Failure.
 */
export type RunPlugin = (context: RunContext, input: string | null) => Promise<string | null>;
