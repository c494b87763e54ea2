import { monotonicMs } from '../clock';
import { CustodianError } from '../../../shared/errors';
import type {
  HostFailure,
  HostInbound,
  HostMessage,
  HostRequest,
  HostResponse,
  SecretHandle,
} from '../../../shared/plugin-host-protocol';
import { PushPort, RpcClient, type RpcCall, type RpcReply } from '../../../shared/rpc';
import type { HostLauncher, HostTransport } from './host-transport';

/** One running host and the calls made to it. */
interface Session {
  transport: HostTransport;
  port: PushPort<RpcCall, RpcReply>;
  rpc: RpcClient;
}
type LoadRequest = Extract<HostRequest, { kind: 'load' }>;
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export interface HostClientOptions {
  launch: HostLauncher;
  /** Added to a request's own time limit before main gives up on the host and restarts it. */
  graceMs?: number;
  /** How long a host may take to start or to answer a load. */
  loadTimeoutMs?: number;
  log?: (message: string) => void;
  onLog?: (plugin: string, level: string, message: string) => void;
  /** Milliseconds on a clock that never jumps (performance.now by default), for the crash-loop window. */
  monotonic?: () => number;
  /** More deaths than `deaths` within `windowMs` stop the restarts (5 in a minute by default). */
  crashLoop?: { deaths: number; windowMs: number };
  /** Told when the host stopped being restarted, and when it may be again (`halted` undefined). */
  onHaltedChange?: (halted: string | undefined) => void;
}

const CRASH_LOOP = { deaths: 5, windowMs: 60_000 };

/**
 * Main's side of the plugin host, on the RPC core. Every request has a
 * deadline; a host that misses one, dies or is killed is restarted, its
 * pending calls fail cleanly, and the plugins it had loaded are loaded again
 * before the next request. A call whose signal fires is withdrawn: the host
 * never starts it, or terminates the worker running it.
 */
export class PluginHostClient {
  private session: Session | undefined;
  private ready: Promise<void> | undefined;
  private readonly loaded = new Map<string, WithoutId<LoadRequest>>();
  private restarts = 0;
  /** When the host died on its own, on the monotonic clock, within the crash-loop window. */
  private deaths: number[] = [];
  private haltedBecause: string | undefined;

  constructor(private readonly options: HostClientOptions) {}

  /** Why the host is no longer restarted (a crash loop), or undefined while it is. */
  get halted(): string | undefined {
    return this.haltedBecause;
  }

  /** Lets a halted host start again (the person unlocked again): its deaths are forgotten. */
  resume(): void {
    this.deaths = [];
    if (this.haltedBecause === undefined) return;
    this.haltedBecause = undefined;
    this.options.onHaltedChange?.(undefined);
  }

  get restartCount(): number {
    return this.restarts;
  }

  get pid(): number | undefined {
    return this.session?.transport.pid;
  }

  async load(request: WithoutId<LoadRequest>): Promise<HostResponse> {
    if (this.haltedBecause) return failure(0, 'error', this.haltedBecause);
    await this.ensureRunning();
    const response = await this.request(
      request,
      this.options.loadTimeoutMs ?? request.limits.timeoutMs,
    );
    if (response.ok) this.loaded.set(request.plugin, request);
    else this.loaded.delete(request.plugin);
    return response;
  }

  async call(
    plugin: string,
    input: string,
    timeoutMs: number,
    signal?: AbortSignal,
    secrets: SecretHandle[] = [],
    secretHosts?: string[],
    /** A type's import call: no network, no log (see HostRequest). */
    importing = false,
  ): Promise<HostResponse> {
    if (signal?.aborted) return failure(0, 'cancelled', 'The call was cancelled.');
    if (this.haltedBecause) return failure(0, 'error', this.haltedBecause);
    await this.ensureRunning();
    if (!this.loaded.has(plugin))
      return {
        id: 0,
        ok: false,
        failure: 'not_loaded',
        message: `Plugin "${plugin}" is not loaded`,
      };
    return this.request(
      {
        kind: 'call',
        plugin,
        input,
        secrets,
        ...(secretHosts ? { secretHosts } : {}),
        ...(importing ? { importing } : {}),
      },
      timeoutMs,
      signal,
    );
  }

  async unload(plugin: string): Promise<void> {
    if (!this.loaded.delete(plugin) || !this.session) return;
    await this.request({ kind: 'unload', plugin }, 5_000);
  }

  /** Stops the host and forgets every plugin (on lock and quit). */
  async stop(): Promise<void> {
    this.loaded.clear();
    this.kill('stopped');
  }

  private ensureRunning(): Promise<void> {
    if (this.session && this.ready) return this.ready;
    const transport = this.options.launch();
    const port = new PushPort<RpcCall, RpcReply>((call) => {
      try {
        transport.send(
          call.type === 'request'
            ? ({ ...(call.params as WithoutId<HostRequest>), id: call.id } as HostRequest)
            : ({ kind: 'cancel', id: call.id } as HostInbound),
        );
      } catch {
        throw new CustodianError('not_connected', 'The plugin host could not be reached');
      }
    });
    this.session = { transport, port, rpc: new RpcClient(port, { unrefTimers: true }) };
    transport.onMessage((message) => this.receive(transport, message));
    transport.onExit((code) => {
      // Only a death nobody here asked for: a kill of ours has already forgotten the session.
      if (this.session?.transport !== transport) return;
      const halted = this.died();
      const why = `exit code ${code ?? 'none'}; the system may have killed it, as it does when memory runs out`;
      this.options.log?.(
        halted
          ? `Plugin host stopped (${why}); ${halted}`
          : `Plugin host stopped (${why}); it restarts, with the same plugins, on the next call.`,
      );
      this.forget(
        transport,
        halted ??
          `The plugin host stopped unexpectedly during the call (${why}), so the call did not finish. It restarts with the same plugins for the next call.`,
      );
    });
    this.ready = this.replayLoads();
    return this.ready;
  }

  // After a restart the new host knows nothing: give it back what was loaded.
  private async replayLoads(): Promise<void> {
    await this.request({ kind: 'ping' }, this.options.loadTimeoutMs ?? 10_000);
    for (const load of [...this.loaded.values()]) {
      const response = await this.request(
        load,
        this.options.loadTimeoutMs ?? load.limits.timeoutMs,
      );
      if (!response.ok) this.loaded.delete(load.plugin);
    }
  }

  private async request(
    message: WithoutId<HostRequest>,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<HostResponse> {
    const session = this.session;
    if (!session) return failure(0, 'error', 'The plugin host is not running');
    try {
      return (await session.rpc.call(message.kind, message, {
        timeoutMs: timeoutMs + (this.options.graceMs ?? 1_500),
        ...(signal ? { signal } : {}),
      })) as HostResponse;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'cancelled') return failure(0, 'cancelled', 'The call was cancelled.');
      if (code !== 'timeout') return failure(0, 'error', (error as Error).message);
      this.options.log?.(`Plugin host missed a deadline (${message.kind}); restarting it.`);
      if (this.session === session) this.kill('deadline');
      return failure(
        0,
        'timeout',
        `The plugin did not finish within ${timeoutMs} ms and was stopped.`,
      );
    }
  }

  private receive(transport: HostTransport, message: HostMessage): void {
    const session = this.session;
    if (session?.transport !== transport) return;
    if ('kind' in message && message.kind === 'log') {
      this.options.onLog?.(message.plugin, message.level, message.message);
      return;
    }
    if (!('id' in message)) return;
    session.port.deliver({ type: 'result', id: message.id, result: message });
  }

  /** Counts one death; past the crash-loop limit, halts the restarts and returns why. */
  private died(): string | undefined {
    const { deaths, windowMs } = this.options.crashLoop ?? CRASH_LOOP;
    const now = (this.options.monotonic ?? monotonicMs)();
    this.deaths = [...this.deaths.filter((at) => now - at < windowMs), now];
    if (this.deaths.length <= deaths) return undefined;
    this.haltedBecause = `The plugin host stopped ${this.deaths.length} times within ${Math.round(windowMs / 1000)} seconds, so Custodian stopped restarting it: plugin tools are unavailable until you lock and unlock Custodian (or restart it). Everything else keeps working.`;
    this.options.onHaltedChange?.(this.haltedBecause);
    return this.haltedBecause;
  }

  private kill(reason: string): void {
    const transport = this.session?.transport;
    if (!transport) return;
    this.forget(
      transport,
      reason === 'stopped' ? 'The plugin host was stopped.' : 'The plugin host was restarted.',
    );
    transport.kill();
  }

  private forget(transport: HostTransport, message: string): void {
    const session = this.session;
    if (session?.transport !== transport) return;
    this.session = undefined;
    this.ready = undefined;
    this.restarts++;
    session.rpc.failAll({ code: 'error', message });
    session.port.ended();
  }
}

function failure(id: number, kind: HostFailure, message: string): HostResponse {
  return { id, ok: false, failure: kind, message };
}
