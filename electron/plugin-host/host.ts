import type {
  HostEvent,
  HostFailure,
  HostMessage,
  HostRequest,
  HostResponse,
  PluginLimits,
  SecretHandle,
} from '../../shared/plugin-host-protocol';
import { HANDLE_PREFIX } from '../../shared/plugin-abi';
import {
  MEMORY_CAP_MB,
  OUTPUT_CAP_BYTES,
  PLUGIN_NAME_PATTERN,
  TIMEOUT_CAP_MS,
} from '../../shared/manifest';
import { PushPort, RpcServer, type RpcCall, type RpcReply } from '../../shared/rpc';
import { PluginLog } from './host-functions/log';
import { PluginRuntime, type Grants, type Outcome } from './plugin-runtime';
import {
  capModuleLimits,
  checkImports,
  detectAbi,
  importedHostFunctions,
  ModuleRefused,
} from './wasm-module';
import { SequencerByKey } from '../../shared/base/sequencer';

// The plugin host's request loop, on the RPC core: every HostRequest with an
// id gets exactly one HostResponse; a message without a usable id is ignored;
// a cancel aborts its request's signal (a queued call never starts, a running
// one has its worker terminated). Loads are checked (limits, ABI, imports
// against grants) before any plugin code runs. Plugins run in parallel, each
// in its own worker; calls to one plugin are queued.

export const WASM_SIZE_CAP = 32 * 1_048_576;
export const INPUT_SIZE_CAP = 16 * 1_048_576;

class BadRequest extends Error {}

type Load = Extract<HostRequest, { kind: 'load' }>;

function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new BadRequest(`${what} must be an object`);
  return value as Record<string, unknown>;
}

function pluginName(value: unknown): string {
  if (typeof value !== 'string' || !PLUGIN_NAME_PATTERN.test(value))
    throw new BadRequest('"plugin" must be a plugin name');
  return value;
}

function integer(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new BadRequest(`${what} must be an integer from ${min} to ${max}`);
  return value;
}

function strings(value: unknown, what: string): string[] {
  if (
    !Array.isArray(value) ||
    value.some((v) => typeof v !== 'string' || v.length > 300) ||
    value.length > 100
  )
    throw new BadRequest(`${what} must be a list of host names`);
  return value as string[];
}

function parseLoad(message: Record<string, unknown>): Omit<Load, 'id' | 'kind'> {
  const plugin = pluginName(message.plugin);
  const wasm = message.wasm;
  if (!(wasm instanceof Uint8Array)) throw new BadRequest('"wasm" must be bytes');
  if (wasm.byteLength > WASM_SIZE_CAP)
    throw new BadRequest(`the module is larger than ${WASM_SIZE_CAP / 1_048_576} MiB`);
  const l = object(message.limits, '"limits"');
  const limits: PluginLimits = {
    timeoutMs: integer(l.timeoutMs, '"limits.timeoutMs"', 1, TIMEOUT_CAP_MS),
    memoryBytes: integer(l.memoryBytes, '"limits.memoryBytes"', 65_536, MEMORY_CAP_MB * 1_048_576),
    outputBytes: integer(l.outputBytes, '"limits.outputBytes"', 1, OUTPUT_CAP_BYTES),
  };
  const g = object(message.grants, '"grants"');
  const http = object(g.http, '"grants.http"');
  if (typeof g.crypto !== 'boolean' || typeof g.log !== 'boolean')
    throw new BadRequest('"grants.crypto" and "grants.log" must be booleans');
  const grants: Grants = {
    crypto: g.crypto,
    log: g.log,
    http: {
      hosts: strings(http.hosts, '"grants.http.hosts"'),
      allowPrivate: strings(http.allowPrivate, '"grants.http.allowPrivate"'),
    },
  };
  return { plugin, wasm, limits, grants };
}

const SECRETS_MAX = 100;

/** The call's handles and their values: absent means none. */
function parseSecrets(value: unknown): SecretHandle[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > SECRETS_MAX)
    throw new BadRequest(`"secrets" must be a list of at most ${SECRETS_MAX} handles`);
  return value.map((entry: unknown) => {
    const e = object(entry, '"secrets[]"');
    if (
      typeof e.handle !== 'string' ||
      !e.handle.startsWith(HANDLE_PREFIX) ||
      e.handle.length > 200 ||
      typeof e.field !== 'string' ||
      e.field.length > 64 ||
      typeof e.value !== 'string' ||
      e.value.length > INPUT_SIZE_CAP
    )
      throw new BadRequest('"secrets[]" must be {handle, field, value} strings');
    return { handle: e.handle, field: e.field, value: e.value };
  });
}

export class PluginHost {
  private readonly plugins = new Map<string, PluginRuntime>();
  /** Loads of one name happen one after the other. */
  private readonly loading = new SequencerByKey<string>();
  private readonly log: PluginLog;
  private readonly port: PushPort<RpcReply, RpcCall>;

  /**
   * `workerScript` is the plugin worker's code as workerScript() gives it;
   * loads wait for it (a source run bundles it when the host starts).
   */
  constructor(
    private readonly send: (message: HostMessage) => void,
    private readonly extismUrl: string,
    private readonly workerScript: Promise<URL>,
  ) {
    this.log = new PluginLog((event: HostEvent) => this.send(event));
    this.port = new PushPort<RpcReply, RpcCall>((reply) =>
      this.send(
        reply.type === 'result'
          ? (reply.result as HostResponse)
          : fail(Number(reply.id), hostFailure(reply.error.code), reply.error.message),
      ),
    );
    new RpcServer(this.port, {
      handle: (_kind, message, { id, signal }) =>
        this.respond(id as number, message as Record<string, unknown>, signal),
    });
  }

  /** Handles one message from main; never throws. */
  handle(raw: unknown): void {
    if (typeof raw !== 'object' || raw === null) return;
    const message = raw as Record<string, unknown>;
    const id = message.id;
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) return;
    if (message.kind === 'cancel') this.port.deliver({ type: 'cancel', id });
    else this.port.deliver({ type: 'request', id, method: String(message.kind), params: message });
  }

  private async respond(
    id: number,
    message: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<HostResponse> {
    let response: HostResponse;
    try {
      response = await this.dispatch(id, message, signal);
    } catch (error) {
      response =
        error instanceof BadRequest
          ? fail(id, 'error', `bad request: ${error.message}`)
          : fail(id, 'error', 'the plugin host failed to handle the request');
      // Only the error's name: its message could quote a request.
      if (!(error instanceof BadRequest))
        process.stderr.write(
          `[plugin-host] internal error (${(error as Error)?.name ?? typeof error}) handling a ${String(message.kind).slice(0, 20)} request\n`,
        );
    }
    return response;
  }

  private async dispatch(
    id: number,
    message: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<HostResponse> {
    switch (message.kind) {
      case 'ping':
        return { id, ok: true, kind: 'pong' };
      case 'load': {
        const request = parseLoad(message);
        return this.loading.queue(request.plugin, () => this.load(id, request));
      }
      case 'call': {
        const plugin = pluginName(message.plugin);
        if (typeof message.input !== 'string') throw new BadRequest('"input" must be a string');
        if (message.input.length > INPUT_SIZE_CAP) throw new BadRequest('"input" is too large');
        const runtime = this.plugins.get(plugin);
        if (!runtime) return fail(id, 'not_loaded', `plugin "${plugin}" is not loaded`);
        return respondTo(
          id,
          await runtime.call(
            message.input,
            signal,
            parseSecrets(message.secrets),
            message.secretHosts === undefined
              ? undefined
              : strings(message.secretHosts, '"secretHosts"'),
            message.importing === true,
          ),
        );
      }
      case 'unload': {
        const plugin = pluginName(message.plugin);
        // A load of this name still under way finishes first, so it cannot come back after.
        await this.loading.idle(plugin);
        const runtime = this.plugins.get(plugin);
        this.plugins.delete(plugin);
        await runtime?.close();
        return { id, ok: true, kind: 'unloaded' };
      }
      default:
        throw new BadRequest(`unknown kind "${String(message.kind).slice(0, 40)}"`);
    }
  }

  private async load(id: number, request: Omit<Load, 'id' | 'kind'>): Promise<HostResponse> {
    const { plugin, limits, grants } = request;
    const workerScript = await this.workerScript;
    let runtime: PluginRuntime;
    try {
      const wasm = capModuleLimits(request.wasm, limits.memoryBytes);
      let module: WebAssembly.Module;
      try {
        module = await WebAssembly.compile(wasm);
      } catch (error) {
        throw new ModuleRefused(
          'invalid_module',
          `the module does not compile: ${(error as Error).message}`,
        );
      }
      const abi = detectAbi(module);
      checkImports(module, abi, {
        crypto: grants.crypto,
        log: grants.log,
        http: grants.http.hosts.length > 0,
      });
      runtime = new PluginRuntime(
        plugin,
        abi,
        wasm,
        limits,
        grants,
        importedHostFunctions(module),
        { extismUrl: this.extismUrl, workerScript, log: this.log },
      );
    } catch (error) {
      if (error instanceof ModuleRefused)
        return fail(id, error.failure, `plugin "${plugin}": ${error.message}`);
      throw error;
    }
    const started = await runtime.start();
    if (!started.ok) {
      await runtime.close();
      return fail(id, started.failure, `plugin "${plugin}": ${started.message}`);
    }
    const previous = this.plugins.get(plugin);
    this.plugins.set(plugin, runtime);
    previous?.retire();
    return { id, ok: true, kind: 'loaded', abi: runtime.abi };
  }

  /** Stops every plugin (the host is shutting down). */
  async closeAll(): Promise<void> {
    const all = [...this.plugins.values()];
    this.plugins.clear();
    await Promise.all(all.map((runtime) => runtime.close()));
  }
}

const FAILURES: readonly string[] = [
  'timeout',
  'memory',
  'output_too_large',
  'trap',
  'not_loaded',
  'invalid_module',
  'capability_denied',
  'cancelled',
  'error',
] satisfies HostFailure[];

/** An RPC error code as the protocol's failure word (duplicate_id and the like are 'error'). */
function hostFailure(code: string): HostFailure {
  return FAILURES.includes(code) ? (code as HostFailure) : 'error';
}

function fail(id: number, failure: HostFailure, message: string): HostResponse {
  return { id, ok: false, failure, message };
}

function respondTo(id: number, outcome: Outcome): HostResponse {
  return outcome.ok
    ? { id, ok: true, kind: 'output', output: outcome.output }
    : fail(id, outcome.failure, outcome.message);
}
