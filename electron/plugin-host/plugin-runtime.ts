import type { CryptoRequest } from '../../shared/plugin-abi';
import type {
  HostFailure,
  HostRequest,
  PluginAbi,
  PluginLimits,
  SecretHandle,
} from '../../shared/plugin-host-protocol';
import { runCrypto } from './host-functions/crypto';
import { CallSecrets } from './host-functions/handles';
import { runHttp } from './host-functions/http';
import { errorResponse, HostFunctionError, parseRequest, respond } from './host-functions/json';
import { RAW_LINE_MAX, type PluginLog } from './host-functions/log';
import { createScrubber, credentialStrings, type Scrubber } from './host-functions/scrub';
import { PluginWorker, type RunResult } from './plugin-worker';
import { Sequencer } from '../../shared/base/sequencer';

// One loaded plugin: its checked module, its limits and grants, and the worker
// that runs it. Calls run one at a time in arrival order; a call that times
// out, traps, kills its worker or is cancelled fails alone, and the next call
// gets a fresh worker. A call cancelled while queued never starts. Failure messages pass the call's scrubber, so a plugin cannot put a
// credential value into an error that leaves the host.

export type Grants = Extract<HostRequest, { kind: 'load' }>['grants'];
export type Outcome =
  { ok: true; output: string } | { ok: false; failure: HostFailure; message: string };

const MESSAGE_MAX = 500;

export interface RuntimeDeps {
  extismUrl: string;
  /** workerScript() of the worker's code. */
  workerScript: URL;
  log: PluginLog;
}

export class PluginRuntime {
  private worker: PluginWorker | undefined;
  private readonly queue = new Sequencer();
  private closed = false;

  constructor(
    readonly name: string,
    readonly abi: PluginAbi,
    private readonly wasm: Uint8Array,
    private readonly limits: PluginLimits,
    private readonly grants: Grants,
    private readonly hostFunctions: string[],
    private readonly deps: RuntimeDeps,
  ) {}

  private spawn(): PluginWorker {
    return new PluginWorker(this.deps.workerScript, {
      extismUrl: this.deps.extismUrl,
      abi: this.abi,
      wasm: this.wasm,
      memoryBytes: this.limits.memoryBytes,
      outputBytes: this.limits.outputBytes,
      hostFunctions: this.hostFunctions,
      logGranted: this.grants.log,
      rawLineMax: RAW_LINE_MAX,
    });
  }

  /** Starts the worker and instantiates the module once (a start function that loops times out here). */
  async start(): Promise<Outcome> {
    const worker = this.spawn();
    this.worker = worker;
    const ready = await worker.ready;
    if (!ready.ok) return this.finish(ready, (text) => text);
    const hooks = this.hooks((text) => text);
    const probe = await worker.run({ type: 'probe' }, this.limits.timeoutMs, hooks);
    hooks.abort();
    if (!probe.ok) {
      worker.terminate();
      this.worker = undefined;
      return this.finish(
        probe.failure === 'timeout'
          ? {
              ...probe,
              message: `the plugin did not finish starting within its limit of ${this.limits.timeoutMs} ms and was stopped`,
            }
          : probe,
        (text) => text,
      );
    }
    return { ok: true, output: '' };
  }

  /** Aborting `signal` withdraws the call: queued, it never starts; running, its worker is terminated. */
  call(
    input: string,
    signal?: AbortSignal,
    secrets: SecretHandle[] = [],
    secretHosts?: string[],
    importing = false,
  ): Promise<Outcome> {
    let started = false;
    const run = this.queue.queue(() => {
      started = true;
      return this.runCall(input, signal, new CallSecrets(secrets, secretHosts), importing);
    });
    if (!signal) return run;
    // A queued call answers 'cancelled' at once, not when the calls ahead of it finish;
    // runCall then sees the signal and skips it.
    return new Promise<Outcome>((resolve, reject) => {
      const onAbort = () => {
        if (!started) resolve(CANCELLED);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      run.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private async runCall(
    input: string,
    signal: AbortSignal | undefined,
    secrets: CallSecrets,
    importing: boolean,
  ): Promise<Outcome> {
    if (this.closed) return notLoaded(this.name);
    if (signal?.aborted) return CANCELLED;
    let credential: unknown;
    try {
      credential = (JSON.parse(input) as { credential?: unknown })?.credential;
    } catch {
      credential = undefined;
    }
    let scrubber: Scrubber | undefined;
    const scrub: Scrubber = (text, truncated) => {
      scrubber ??= createScrubber([...credentialStrings(credential), ...secrets.values()]);
      return scrubber(text, truncated);
    };

    if (!this.worker?.alive) {
      this.worker = this.spawn();
      const ready = await this.worker.ready;
      if (!ready.ok) {
        this.worker = undefined;
        return this.finish(ready, scrub);
      }
    }
    if (this.closed) return notLoaded(this.name);
    if (signal?.aborted) return CANCELLED;
    const worker = this.worker;
    const hooks = this.hooks(scrub, secrets, importing);
    // The only way to stop plugin code mid-run is to end its thread; the next call gets a new one.
    const stop = () => worker.terminate(CANCELLED);
    signal?.addEventListener('abort', stop, { once: true });
    const result = await worker.run({ type: 'call', input }, this.limits.timeoutMs, hooks);
    signal?.removeEventListener('abort', stop);
    // A request still in flight (the call timed out, was cancelled or unloaded) is cancelled.
    hooks.abort();
    if (this.closed) return notLoaded(this.name);
    return this.finish(result, scrub);
  }

  private finish(result: RunResult, scrub: Scrubber): Outcome {
    if (result.ok) return { ok: true, output: result.output ?? '' };
    const text = scrub(result.message);
    return {
      ok: false,
      failure: result.failure,
      message: text.length > MESSAGE_MAX ? `${text.slice(0, MESSAGE_MAX)}…` : text,
    };
  }

  /**
   * An import call (`importing`) holds the credential's values: nothing of it
   * may leave by the network or the log, so both refuse and the plugin's own
   * log lines are dropped; crypto works.
   */
  private hooks(scrub: Scrubber, secrets = CallSecrets.none, importing = false) {
    const started = Date.now();
    const abort = new AbortController();
    const remainingMs = () => this.limits.timeoutMs - (Date.now() - started);
    return {
      hostCall: (fn: string, request: string): Promise<string> => {
        if (this.closed) return Promise.resolve(errorResponse('the plugin is being unloaded'));
        if (!this.hostFunctions.includes(fn))
          return Promise.resolve(errorResponse(`${fn} is not granted to this plugin`));
        if (importing && fn === 'custodian_http')
          return Promise.resolve(errorResponse('no network during import'));
        if (importing && fn === 'custodian_log')
          return Promise.resolve(errorResponse('no log during import'));
        switch (fn) {
          case 'custodian_crypto':
            return respond('the crypto operation failed', () =>
              runCrypto(parseRequest(request) as unknown as CryptoRequest, secrets),
            );
          case 'custodian_http':
            return respond('the HTTP request failed', () =>
              runHttp(parseRequest(request), {
                grant: this.grants.http,
                remainingMs,
                memoryBytes: this.limits.memoryBytes,
                signal: abort.signal,
                secrets,
              }),
            );
          case 'custodian_log':
            return respond('the log line was refused', () => {
              const { level, message } = parseRequest(request);
              if (typeof message !== 'string')
                throw new HostFunctionError('"message" must be a string');
              const truncated = message.length > RAW_LINE_MAX;
              const written = this.deps.log.write(
                this.name,
                level,
                truncated ? message.slice(0, RAW_LINE_MAX) : message,
                scrub,
                truncated,
              );
              if (!written) throw new HostFunctionError('rate limit: the line was dropped');
              return {};
            });
          default:
            return Promise.resolve(errorResponse(`${fn} is not a host function`));
        }
      },
      log: (level: string, message: string, truncated: boolean) => {
        if (!this.closed && !importing)
          this.deps.log.write(this.name, level, message, scrub, truncated);
      },
      abort: () => abort.abort(),
    };
  }

  /** Stops the worker now; the running call and every queued one fail with not_loaded. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    if (worker) {
      worker.terminate(notLoaded(this.name) as RunResult);
      await worker.exited();
    }
    this.deps.log.forget(this.name);
  }

  /** Lets the queued calls finish, then stops (a reload replaced this plugin). */
  retire(): void {
    void this.queue.queue(() => this.close());
  }
}

const CANCELLED = {
  ok: false,
  failure: 'cancelled',
  message: 'the call was cancelled',
} as const satisfies Outcome & RunResult;

function notLoaded(name: string): Outcome {
  return { ok: false, failure: 'not_loaded', message: `plugin "${name}" was unloaded` };
}
