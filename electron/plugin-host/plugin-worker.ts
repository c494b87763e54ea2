import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { HostFailure, PluginAbi } from '../../shared/plugin-host-protocol';
import type { WorkerData, WorkerMessage, WorkerRequest } from './worker/protocol';

// The host's side of one plugin worker thread: start it, run one message at a
// time on it under a deadline, answer its host function calls, and terminate
// it when the deadline passes (V8 stops a thread in a wasm loop, a start
// function or Atomics.wait alike). A worker that was terminated or died is not
// reused; the runtime starts a new one for the next call.

export const WORKER_START_TIMEOUT_MS = 15_000;

/**
 * The worker's bundled code (./worker-code.ts) as a data: URL: the worker
 * starts from it without a file, so the same code runs under tsx, under
 * Vitest, from the electron-vite bundle and from inside an asar archive.
 */
export function workerScript(code: string): URL {
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

export interface WorkerConfig {
  extismUrl: string;
  abi: PluginAbi;
  wasm: Uint8Array;
  memoryBytes: number;
  outputBytes: number;
  hostFunctions: string[];
  logGranted: boolean;
  rawLineMax: number;
}

export type RunResult =
  { ok: true; output: string | null } | { ok: false; failure: HostFailure; message: string };

export interface RunHooks {
  /** A host function call from the plugin; resolves to the JSON reply. */
  hostCall(fn: string, request: string): Promise<string>;
  log(level: string, message: string, truncated: boolean): void;
}

interface Running {
  id: number;
  hooks: RunHooks;
  finish: (result: RunResult) => void;
}

export class PluginWorker {
  private readonly worker: Worker;
  private readonly rpcPort: MessagePort;
  private readonly rpcFlag = new Int32Array(new SharedArrayBuffer(4));
  private running: Running | undefined;
  private nextId = 1;
  private dead = false;
  /** terminate() was called: the thread is going away, even if 'exit' has not come yet. */
  private stopping = false;
  private deathReason: RunResult | undefined;
  readonly ready: Promise<RunResult>;

  /** `script` is workerScript() of the worker's code. */
  constructor(script: URL, config: WorkerConfig) {
    const { port1, port2 } = new MessageChannel();
    this.rpcPort = port1;
    const wasm = config.wasm.slice();
    const workerData: WorkerData = {
      ...config,
      wasm,
      maxPages: Math.floor(config.memoryBytes / 65_536),
      rpcFlag: this.rpcFlag.buffer,
      rpcPort: port2,
    };
    this.worker = new Worker(script, {
      workerData,
      transferList: [port2, wasm.buffer],
      // No TypeScript loader, no inherited flags; Extism's import of node:wasi warns otherwise.
      execArgv: ['--disable-warning=ExperimentalWarning'],
      env: {},
      // The plugin's own memory is capped by the module rewrite; these bound the JS side.
      resourceLimits: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
    });
    this.worker.unref();

    let settleReady: (result: RunResult) => void = () => {};
    this.ready = new Promise<RunResult>((resolve) => (settleReady = resolve));
    const startTimer = setTimeout(() => {
      settleReady({
        ok: false,
        failure: 'error',
        message: 'the plugin worker did not start in time',
      });
      this.terminate();
    }, WORKER_START_TIMEOUT_MS);

    this.worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'ready':
          clearTimeout(startTimer);
          settleReady({ ok: true, output: null });
          break;
        case 'ready-failed':
          clearTimeout(startTimer);
          settleReady({ ok: false, failure: 'invalid_module', message: message.message });
          this.terminate();
          break;
        case 'done':
          if (this.running?.id === message.id)
            this.running.finish(
              message.ok
                ? { ok: true, output: message.output }
                : { ok: false, failure: message.failure, message: message.message },
            );
          break;
        case 'rpc':
          void this.answer(message.fn, message.request);
          break;
        case 'log':
          this.running?.hooks.log(message.level, message.message, message.truncated);
          break;
      }
    });
    this.worker.on('error', (error: Error & { code?: string }) => {
      this.deathReason ??=
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? {
              ok: false,
              failure: 'memory',
              message: 'the plugin worker ran out of memory and was stopped',
            }
          : { ok: false, failure: 'trap', message: 'the plugin worker failed and was stopped' };
    });
    this.worker.on('exit', () => {
      clearTimeout(startTimer);
      this.dead = true;
      this.rpcPort.close();
      const reason: RunResult = this.deathReason ?? {
        ok: false,
        failure: 'trap',
        message: 'the plugin worker stopped unexpectedly',
      };
      settleReady(reason);
      this.running?.finish(reason);
    });
  }

  get alive(): boolean {
    return !this.dead && !this.stopping;
  }

  private async answer(fn: string, request: string): Promise<void> {
    const running = this.running;
    const reply = running
      ? await running.hooks.hostCall(fn, request)
      : JSON.stringify({ ok: false, error: 'no call is running' });
    if (!this.alive || this.running !== running) return;
    this.rpcPort.postMessage(reply);
    Atomics.store(this.rpcFlag, 0, 1);
    Atomics.notify(this.rpcFlag, 0);
  }

  /**
   * Runs one probe (instantiate only) or call under a deadline. On timeout the
   * thread is terminated and this worker is dead.
   */
  run(
    message: { type: 'probe' } | { type: 'call'; input: string },
    timeoutMs: number,
    hooks: RunHooks,
  ): Promise<RunResult> {
    if (!this.alive || this.running)
      return Promise.resolve({
        ok: false,
        failure: 'error',
        message: 'the plugin worker is not available',
      });
    const id = this.nextId++;
    return new Promise<RunResult>((resolve) => {
      const timer = setTimeout(() => {
        this.deathReason = {
          ok: false,
          failure: 'timeout',
          message: `the plugin ran longer than its limit of ${timeoutMs} ms and was stopped`,
        };
        this.running?.finish(this.deathReason);
        this.terminate();
      }, timeoutMs);
      this.running = {
        id,
        hooks,
        finish: (result) => {
          clearTimeout(timer);
          if (this.running?.id === id) this.running = undefined;
          resolve(result);
        },
      };
      const request: WorkerRequest = { ...message, id };
      this.worker.postMessage(request);
    });
  }

  /** Stops the thread now (a running call fails with the reason already set, or 'not_loaded'). */
  terminate(reason?: RunResult): void {
    if (reason && !this.deathReason) this.deathReason = reason;
    if (reason) this.running?.finish(reason);
    this.stopping = true;
    void this.worker.terminate();
  }

  /** Resolves once the thread has exited. */
  exited(): Promise<void> {
    if (this.dead) return Promise.resolve();
    return new Promise((resolve) => this.worker.once('exit', () => resolve()));
  }
}
