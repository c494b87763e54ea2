import { fork, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  HostEvent,
  HostMessage,
  HostRequest,
  HostResponse,
  PluginLimits,
  SecretHandle,
} from '../../../shared/plugin-host-protocol';

// The real plugin host entry, forked the way electron/headless starts it, and
// spoken to with the real protocol. Everything the host prints is kept, so a
// test can check that no secret ever reached stdout or stderr.

const repo = join(import.meta.dirname, '..', '..', '..');
// PLUGIN_HOST_BUNDLE=1 runs the same tests against the electron-vite bundle
// (out/main/plugin-host.js) on plain Node, as electron/headless starts it once built.
const BUNDLE = process.env.PLUGIN_HOST_BUNDLE === '1';
export const HOST_ENTRY = BUNDLE
  ? join(repo, 'out', 'main', 'plugin-host.js')
  : join(repo, 'electron', 'plugin-host', 'index.ts');

type LoadRequest = Extract<HostRequest, { kind: 'load' }>;
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export const DEFAULT_LIMITS: PluginLimits = {
  timeoutMs: 5_000,
  memoryBytes: 64 * 1_048_576,
  outputBytes: 1_048_576,
};
export const NO_GRANTS: LoadRequest['grants'] = {
  crypto: false,
  log: false,
  http: { hosts: [], allowPrivate: [] },
};

export function fixtureWasm(name: string): Uint8Array {
  return new Uint8Array(
    readFileSync(join(repo, 'plugins', 'fixtures', name, 'build', 'plugin.wasm')),
  );
}

export function pluginInput(
  action: string,
  parameters: Record<string, unknown> = {},
  credential: Record<string, string | boolean> = { token: 'tok-3f9a1c7e5b2d8046' },
): string {
  return JSON.stringify({ action, credential, parameters });
}

export class HostProcess {
  readonly child: ChildProcess;
  readonly events: HostEvent[] = [];
  output = '';
  private nextId = 1;
  private readonly pending = new Map<number, (response: HostResponse) => void>();
  private readonly answered = new Map<number, number>();
  readonly ready: Promise<void>;

  constructor() {
    this.child = fork(HOST_ENTRY, [], {
      execArgv: BUNDLE ? [] : ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test' },
    });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.ready = new Promise((resolve, reject) => {
      this.child.once('exit', (code) =>
        reject(new Error(`the host exited (${code}) before it was ready`)),
      );
      this.child.on('message', (message: HostMessage) => {
        if ('id' in message) {
          this.answered.set(message.id, (this.answered.get(message.id) ?? 0) + 1);
          this.pending.get(message.id)?.(message);
          this.pending.delete(message.id);
          return;
        }
        this.events.push(message);
        if (message.kind === 'ready') resolve();
      });
    });
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('the host has no pid');
    return this.child.pid;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** How many responses arrived for this id (the protocol says exactly one). */
  answers(id: number): number {
    return this.answered.get(id) ?? 0;
  }

  send(message: unknown): void {
    this.child.send(message as HostRequest);
  }

  request(message: WithoutId<HostRequest>): Promise<HostResponse & { id: number }> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ ...message, id } as HostRequest);
    });
  }

  /** Sends a request and returns its id with the answer to come, so a test can cancel it. */
  start(message: WithoutId<HostRequest>): { id: number; response: Promise<HostResponse> } {
    const id = this.nextId;
    return { id, response: this.request(message) };
  }

  /** Withdraws request `id` (the host answers it 'cancelled' if it is still open). */
  cancel(id: number): void {
    this.child.send({ kind: 'cancel', id });
  }

  load(
    plugin: string,
    options: {
      fixture?: string;
      wasm?: Uint8Array;
      limits?: Partial<PluginLimits>;
      grants?: Partial<LoadRequest['grants']>;
    } = {},
  ): Promise<HostResponse> {
    return this.request({
      kind: 'load',
      plugin,
      wasm: options.wasm ?? fixtureWasm(options.fixture ?? plugin),
      limits: { ...DEFAULT_LIMITS, ...options.limits },
      grants: { ...NO_GRANTS, ...options.grants },
    });
  }

  /** `secrets`: the call's handles and the values they stand for, as main sends them. */
  call(
    plugin: string,
    input: string,
    secrets?: SecretHandle[],
    secretHosts?: string[],
  ): Promise<HostResponse> {
    return this.request({
      kind: 'call',
      plugin,
      input,
      ...(secrets ? { secrets } : {}),
      ...(secretHosts ? { secretHosts } : {}),
    });
  }

  /** Calls and parses the plugin's {code, data, error}; throws on a host failure. */
  async callJson(
    plugin: string,
    input: string,
    secrets?: SecretHandle[],
    secretHosts?: string[],
  ): Promise<{ code: number; data: unknown; error: string | null }> {
    const response = await this.call(plugin, input, secrets, secretHosts);
    if (!response.ok || response.kind !== 'output')
      throw new Error(`call to ${plugin} failed: ${JSON.stringify(response)}`);
    return JSON.parse(response.output) as { code: number; data: unknown; error: string | null };
  }

  unload(plugin: string): Promise<HostResponse> {
    return this.request({ kind: 'unload', plugin });
  }

  async stop(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }

  /** Threads (main, V8 and libuv helpers, worker threads) of the host process. */
  threads(): number {
    return readdirSync(`/proc/${this.pid}/task`).length;
  }

  fds(): number {
    return readdirSync(`/proc/${this.pid}/fd`).length;
  }
}
