import type {
  HostFailure,
  HostMessage,
  HostRequest,
  HostResponse,
} from '../../../shared/plugin-host-protocol';
import type { HostLauncher, HostTransport } from './host-transport';

type Pending = {
  resolve: (response: HostResponse) => void;
  timer: NodeJS.Timeout;
};
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
}

/**
 * Main's side of the plugin host. Every request has a deadline; a host that
 * misses one, dies or is killed is restarted, its pending calls fail cleanly,
 * and the plugins it had loaded are loaded again before the next request.
 */
export class PluginHostClient {
  private transport: HostTransport | undefined;
  private ready: Promise<void> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly loaded = new Map<string, WithoutId<LoadRequest>>();
  private restarts = 0;

  constructor(private readonly options: HostClientOptions) {}

  get restartCount(): number {
    return this.restarts;
  }

  get pid(): number | undefined {
    return this.transport?.pid;
  }

  async load(request: WithoutId<LoadRequest>): Promise<HostResponse> {
    await this.ensureRunning();
    const response = await this.request(
      request,
      this.options.loadTimeoutMs ?? request.limits.timeoutMs,
    );
    if (response.ok) this.loaded.set(request.plugin, request);
    else this.loaded.delete(request.plugin);
    return response;
  }

  async call(plugin: string, input: string, timeoutMs: number): Promise<HostResponse> {
    await this.ensureRunning();
    if (!this.loaded.has(plugin))
      return {
        id: 0,
        ok: false,
        failure: 'not-loaded',
        message: `Plugin "${plugin}" is not loaded`,
      };
    return this.request({ kind: 'call', plugin, input }, timeoutMs);
  }

  async unload(plugin: string): Promise<void> {
    if (!this.loaded.delete(plugin) || !this.transport) return;
    await this.request({ kind: 'unload', plugin }, 5_000);
  }

  /** Stops the host and forgets every plugin (on lock and quit). */
  async stop(): Promise<void> {
    this.loaded.clear();
    this.kill('stopped');
  }

  private ensureRunning(): Promise<void> {
    if (this.transport && this.ready) return this.ready;
    const transport = this.options.launch();
    this.transport = transport;
    transport.onMessage((message) => this.receive(transport, message));
    transport.onExit((code) => {
      if (this.transport !== transport) return;
      this.options.log?.(
        `Plugin host exited (code ${code ?? 'none'}); it restarts on the next call.`,
      );
      this.forget(transport, 'The plugin host stopped during the call; it has been restarted.');
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

  private request(message: WithoutId<HostRequest>, timeoutMs: number): Promise<HostResponse> {
    const transport = this.transport;
    if (!transport) return Promise.resolve(failure(0, 'error', 'The plugin host is not running'));
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          this.pending.delete(id);
          this.options.log?.(`Plugin host missed a deadline (${message.kind}); restarting it.`);
          resolve(
            failure(
              id,
              'timeout',
              `The plugin did not finish within ${timeoutMs} ms and was stopped.`,
            ),
          );
          this.kill('deadline');
        },
        timeoutMs + (this.options.graceMs ?? 1_500),
      );
      timer.unref();
      this.pending.set(id, { resolve, timer });
      try {
        transport.send({ ...message, id } as HostRequest);
      } catch {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(failure(id, 'error', 'The plugin host could not be reached'));
      }
    });
  }

  private receive(transport: HostTransport, message: HostMessage): void {
    if (transport !== this.transport) return;
    if ('kind' in message && message.kind === 'log') {
      this.options.onLog?.(message.plugin, message.level, message.message);
      return;
    }
    if (!('id' in message)) return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pending.delete(message.id);
    pending.resolve(message);
  }

  private kill(reason: string): void {
    const transport = this.transport;
    if (!transport) return;
    this.forget(
      transport,
      reason === 'stopped' ? 'The plugin host was stopped.' : 'The plugin host was restarted.',
    );
    transport.kill();
  }

  private forget(transport: HostTransport, message: string): void {
    if (this.transport !== transport) return;
    this.transport = undefined;
    this.ready = undefined;
    this.restarts++;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.resolve(failure(id, 'error', message));
    }
    this.pending.clear();
  }
}

function failure(id: number, kind: HostFailure, message: string): HostResponse {
  return { id, ok: false, failure: kind, message };
}
