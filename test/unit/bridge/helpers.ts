import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BridgeServer, type BridgeHandlers } from '../../../electron/core/bridge/socket-server';
import { bridgeSocketPath } from '../../../electron/core/bridge/socket-path';
import { ensureRunDir, loadOrCreateToken } from '../../../electron/core/bridge/token';

// Real sockets in short temp folders (Unix socket paths are capped near 100 bytes).

export async function tempDataDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'cbr-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const testHandlers: BridgeHandlers = {
  ping: async () => ({ pong: true }),
  status: async () => ({ server: { version: 'test' }, vault: 'locked', clients: 0 }),
};

export async function startServer(
  dataDir: string,
  extra: Partial<ConstructorParameters<typeof BridgeServer>[0]> = {},
): Promise<{ server: BridgeServer; token: string; path: string }> {
  await ensureRunDir(dataDir);
  const token = await loadOrCreateToken(dataDir);
  const path = bridgeSocketPath(dataDir);
  const server = new BridgeServer({
    path,
    token,
    handlers: testHandlers,
    serverVersion: '0.0.0-test',
    ...extra,
  });
  await server.listen();
  return { server, token, path };
}

/** A hand-driven connection that records every frame the server sends. */
export class RawClient {
  readonly frames: Record<string, unknown>[] = [];
  readonly closed: Promise<void>;
  private buffer = '';
  private waiters: (() => void)[] = [];
  private readonly socket: Socket;

  constructor(path: string) {
    this.socket = connect(path);
    this.socket.on('error', () => {
      // The server may reset a connection it refused; the frames already read are what count.
    });
    this.socket.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('utf8');
      let newline;
      while ((newline = this.buffer.indexOf('\n')) !== -1) {
        this.frames.push(JSON.parse(this.buffer.slice(0, newline)) as Record<string, unknown>);
        this.buffer = this.buffer.slice(newline + 1);
      }
      this.wake();
    });
    this.closed = new Promise((resolve) =>
      this.socket.on('close', () => {
        this.wake();
        resolve();
      }),
    );
  }

  get isClosed(): boolean {
    return this.socket.destroyed;
  }

  send(message: unknown): void {
    this.write(Buffer.from(JSON.stringify(message) + '\n'));
  }

  write(bytes: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  hello(token: string, name = 'raw-test'): void {
    this.send({ v: 1, type: 'hello', token, client: { name, version: '1.0' } });
  }

  /** Waits until at least `count` frames arrived (or the connection closed). */
  async waitFrames(count: number): Promise<Record<string, unknown>[]> {
    while (this.frames.length < count && !this.socket.destroyed)
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.frames;
  }

  /** The first frame that answers `id`. */
  async response(id: unknown): Promise<Record<string, unknown> | undefined> {
    for (;;) {
      const found = this.frames.find((f) => f.id === id);
      if (found || this.socket.destroyed) return found;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

export async function welcomed(path: string, token: string, name?: string): Promise<RawClient> {
  const client = new RawClient(path);
  client.hello(token, name);
  const [first] = await client.waitFrames(1);
  if (first?.type !== 'welcome')
    throw new Error(`Expected a welcome, got ${JSON.stringify(first)}`);
  return client;
}
