import type { MessagePort } from 'node:worker_threads';
import type { HostFailure, PluginAbi } from '../../../shared/plugin-host-protocol';

// What the host thread (../plugin-worker.ts) and a plugin's worker thread
// (./main.ts) say to each other. Types only: the worker's bundle carries none
// of this file.
//
// Messages in:  {type:'probe', id} instantiate only | {type:'call', id, input}
// Messages out: {type:'ready'} | {type:'ready-failed', message}
//               {type:'done', id, ok, output | failure, message}
//               {type:'rpc', fn, request} | {type:'log', level, message, truncated}

/** What the worker is started with (its workerData). */
export interface WorkerData {
  /** Where @extism/extism is, as the host resolved it (unpacked from the asar when packaged). */
  extismUrl: string;
  abi: PluginAbi;
  /** The module, already checked and limit-capped by the host. */
  wasm: Uint8Array;
  memoryBytes: number;
  /** memoryBytes in whole WebAssembly pages. */
  maxPages: number;
  outputBytes: number;
  /** The Extism host functions the module imports. */
  hostFunctions: string[];
  logGranted: boolean;
  /** Longest log line forwarded to the host; longer lines are cut and marked truncated. */
  rawLineMax: number;
  /** One Int32: 0 while a host function call waits, 1 once its reply is on rpcPort. */
  rpcFlag: SharedArrayBuffer;
  rpcPort: MessagePort;
}

export type WorkerRequest =
  { type: 'probe'; id: number } | { type: 'call'; id: number; input: string };

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'ready-failed'; message: string }
  | { type: 'done'; id: number; ok: true; output: string | null }
  | { type: 'done'; id: number; ok: false; failure: HostFailure; message: string }
  | { type: 'rpc'; fn: string; request: string }
  | { type: 'log'; level: LogLevel; message: string; truncated: boolean };

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
