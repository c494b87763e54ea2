import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BridgeServer, type BridgeHandlers } from '../../../electron/core/bridge/socket-server';
import { bridgeSocketPath } from '../../../electron/core/bridge/socket-path';
import {
  ensureRunDir,
  helloProof,
  rotateToken,
  type SocketChannel,
} from '../../../electron/core/bridge/token';

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
  const channel: SocketChannel = extra.channel ?? 'agents';
  const token = await rotateToken(dataDir, channel);
  const path = bridgeSocketPath(dataDir, process.platform, channel);
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

/**
 * A hand-driven connection that records every frame the server sends after
 * its challenge; the challenge's nonce is kept apart (`nonce`), so `frames`
 * holds the answers to what the test sent.
 */
export class RawClient {
  readonly frames: Record<string, unknown>[] = [];
  readonly closed: Promise<void>;
  /** The server's challenge nonce; rejects if the connection closed before one came. */
  readonly nonce: Promise<string>;
  private gotNonce: (nonce: string) => void = () => {};
  private queue: Promise<void> = Promise.resolve();
  private buffer = '';
  private waiters: (() => void)[] = [];
  private readonly socket: Socket;

  constructor(path: string) {
    let noNonce: (error: Error) => void = () => {};
    this.nonce = new Promise<string>((resolve, reject) => {
      this.gotNonce = resolve;
      noNonce = reject;
    });
    // A test that never asks for the nonce must not see an unhandled rejection.
    this.nonce.catch(() => undefined);
    this.socket = connect(path);
    this.socket.on('error', () => {
      // The server may reset a connection it refused; the frames already read are what count.
    });
    this.socket.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('utf8');
      let newline;
      while ((newline = this.buffer.indexOf('\n')) !== -1) {
        const frame = JSON.parse(this.buffer.slice(0, newline)) as Record<string, unknown>;
        this.buffer = this.buffer.slice(newline + 1);
        if (frame.type === 'challenge' && typeof frame.nonce === 'string')
          this.gotNonce(frame.nonce);
        else this.frames.push(frame);
      }
      this.wake();
    });
    this.closed = new Promise((resolve) =>
      this.socket.on('close', () => {
        noNonce(new Error('closed before a challenge'));
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

  /** Writes after whatever was sent before (a hello waits for its challenge first). */
  write(bytes: Buffer): void {
    this.after(() => {
      if (!this.socket.destroyed) this.socket.write(bytes);
    });
  }

  private after(step: () => void | Promise<void>): void {
    this.queue = this.queue.then(step).catch(() => undefined);
  }

  /** Answers the challenge with the token's proof, once the challenge came. */
  hello(token: string, name = 'raw-test'): void {
    this.after(async () => {
      const nonce = await this.nonce;
      if (!this.socket.destroyed)
        this.socket.write(
          JSON.stringify({
            v: 2,
            type: 'hello',
            proof: helloProof(token, nonce),
            client: { name, version: '1.0' },
          }) + '\n',
        );
    });
  }

  /** A hello carrying exactly this proof (a captured one, a wrong one). */
  helloWithProof(proof: string, name = 'raw-test'): void {
    this.send({ v: 2, type: 'hello', proof, client: { name, version: '1.0' } });
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
