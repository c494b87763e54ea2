import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { z } from 'zod';
import {
  BRIDGE_PROTOCOL_VERSION,
  bridgeEvents,
  bridgeMethods,
  cancelSchema,
  helloSchema,
  isBridgeMethod,
  requestIdSchema,
  requestSchema,
  type BridgeEvent,
  type BridgeEventData,
  type BridgeMethod,
  type BridgeParsedParams,
  type BridgeResult,
  type ClientInfo,
  type RequestId,
} from '../../../shared/bridge-protocol';
import { PushPort, RpcServer, type RpcCall, type RpcReply } from '../../../shared/rpc';
import { encodeFrame, FrameDecoder } from './frames';
import { clearStaleSocket, isNamedPipe } from './socket-path';
import { proofMatches, type SocketChannel } from './token';
import { frameErrorOf } from '../../../shared/error-boundaries';
import { CustodianError, type ErrorCode } from '../../../shared/errors';

// The core's end of one local socket (the agents' or the admin channel). A
// connection is a stranger until it answers the challenge (a fresh nonce sent
// as soon as it connects) with a hello proving it holds this channel's token;
// until then it gets no answer but an error and a closed connection. One misbehaving client is cut
// off alone: the server goes on serving everyone else.

export interface BridgeConnectionInfo {
  /** Unique for the server's lifetime (and across the core's servers when they share nextId). */
  id: number;
  /** Which socket it came in on: what its roles are decided by. */
  channel: SocketChannel;
  client: ClientInfo;
  connectedAt: Date;
}

export type BridgeHandler<M extends BridgeMethod> = (
  params: BridgeParsedParams<M>,
  connection: BridgeConnectionInfo,
  /** Fires when the client cancels the request or goes away. */
  signal: AbortSignal,
) => Promise<BridgeResult<M>>;

/** Methods without a handler answer 'unknown_method'. */
export type BridgeHandlers = { [M in BridgeMethod]?: BridgeHandler<M> };

export interface BridgeServerOptions {
  /** From bridgeSocketPath(); the run folder must already be checked. */
  path: string;
  /** The channel's token; a hello proves it against this connection's nonce. */
  token: string;
  /** Which channel this socket is (default 'agents'); told to every handler. */
  channel?: SocketChannel;
  /** Numbers connections; the core's two servers share one so ids never repeat. */
  nextId?: () => number;
  handlers: BridgeHandlers;
  serverVersion: string;
  /** How long a new connection has to say hello. */
  helloTimeoutMs?: number;
  /**
   * Requests one connection may have running at once (default 64). More wait
   * their turn, in order; with maxQueued waiting the socket stops reading, and
   * requests beyond (already read) are answered 'busy'.
   */
  maxInFlight?: number;
  /** Requests one connection may have waiting for a slot (default 1024). */
  maxQueued?: number;
  log?: (message: string) => void;
}

interface Connection {
  id: number;
  socket: Socket;
  decoder: FrameDecoder;
  client: ClientInfo | undefined;
  connectedAt: Date;
  /** What this connection's hello must prove with the token; used once. */
  nonce: string;
  /** Set at the welcome: the requests, their queue and their cancellation. */
  rpc: { port: PushPort<RpcReply, RpcCall>; server: RpcServer } | undefined;
  closing: boolean;
  helloTimer: NodeJS.Timeout | undefined;
}

// A client that stops reading while events pile up is dropped, not buffered without end.
const MAX_BUFFERED_WRITE_BYTES = 16 * 1024 * 1024;
// After the error frame, how long a closing peer may take before it is destroyed.
const CLOSE_GRACE_MS = 1_000;

export class BridgeServer {
  private server: Server | undefined;
  private readonly connections = new Map<number, Connection>();
  private readonly listeners = new Set<(clients: BridgeConnectionInfo[]) => void>();
  private readonly nextId: () => number;

  constructor(private readonly options: BridgeServerOptions) {
    let next = 1;
    this.nextId = options.nextId ?? (() => next++);
  }

  get channel(): SocketChannel {
    return this.options.channel ?? 'agents';
  }

  get path(): string {
    return this.options.path;
  }

  /** Authenticated connections, for the tray. */
  get connectionCount(): number {
    return this.clients().length;
  }

  clients(): BridgeConnectionInfo[] {
    return [...this.connections.values()].flatMap((c) =>
      c.client ? [this.info(c, c.client)] : [],
    );
  }

  /** Called whenever a client is welcomed or leaves. Returns an unsubscribe. */
  onClientsChanged(listener: (clients: BridgeConnectionInfo[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async listen(): Promise<void> {
    if (this.server) throw new Error('The bridge server is already listening.');
    await clearStaleSocket(this.options.path);
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (error) => this.options.log?.(`Bridge server error: ${error.message}`));
    this.server = server;
    // The 0700 folder is the real fence; this keeps the socket itself private too.
    if (!isNamedPipe(this.options.path)) await fs.chmod(this.options.path, 0o600);
  }

  /** Stops listening, drops every connection, removes the socket file. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const connection of this.connections.values()) {
      clearTimeout(connection.helloTimer);
      connection.socket.destroy();
    }
    await closed;
  }

  /** Sends an event to every authenticated client. */
  broadcast<E extends BridgeEvent>(event: E, data: BridgeEventData<E>): void {
    const parsed: unknown = bridgeEvents[event].parse(data);
    for (const connection of this.connections.values())
      if (connection.client && !connection.closing)
        this.send(connection, { v: BRIDGE_PROTOCOL_VERSION, type: 'event', event, data: parsed });
  }

  /** Sends an event to one authenticated client, by its connection id; false when it is gone. */
  sendTo<E extends BridgeEvent>(id: number, event: E, data: BridgeEventData<E>): boolean {
    const connection = this.connections.get(id);
    if (!connection?.client || connection.closing) return false;
    const parsed: unknown = bridgeEvents[event].parse(data);
    return this.send(connection, {
      v: BRIDGE_PROTOCOL_VERSION,
      type: 'event',
      event,
      data: parsed,
    });
  }

  private accept(socket: Socket): void {
    const connection: Connection = {
      id: this.nextId(),
      socket,
      decoder: new FrameDecoder(),
      client: undefined,
      connectedAt: new Date(),
      nonce: randomBytes(32).toString('hex'),
      rpc: undefined,
      closing: false,
      helloTimer: undefined,
    };
    this.connections.set(connection.id, connection);
    connection.helloTimer = setTimeout(
      () =>
        this.fail(connection, null, 'hello_timeout', 'No hello arrived in time; send it first.'),
      this.options.helloTimeoutMs ?? 5_000,
    );
    connection.helloTimer.unref();
    // The server speaks first: the nonce this connection's hello must answer.
    this.send(connection, {
      v: BRIDGE_PROTOCOL_VERSION,
      type: 'challenge',
      nonce: connection.nonce,
    });
    socket.on('data', (chunk: Buffer) => this.receive(connection, chunk));
    socket.on('error', () => {
      // A peer that vanished mid-write; 'close' follows and cleans up.
    });
    socket.on('close', () => {
      clearTimeout(connection.helloTimer);
      // Whatever still runs for this client is aborted: nobody is left to answer.
      connection.rpc?.port.ended();
      this.connections.delete(connection.id);
      if (connection.client) this.notify();
    });
  }

  private receive(connection: Connection, chunk: Buffer): void {
    for (const frame of connection.decoder.push(chunk)) {
      if (connection.closing) return;
      // A frame too large to read still names its request when its beginning does.
      if (!frame.ok)
        this.fail(connection, frame.error.id ?? null, frame.error.code, frame.error.message);
      else this.handle(connection, frame.value);
    }
  }

  private handle(connection: Connection, message: unknown): void {
    const fields = typeof message === 'object' && message !== null ? message : {};
    const id = requestIdSchema.safeParse((fields as { id?: unknown }).id);
    const requestId = id.success ? id.data : null;
    if ((fields as { v?: unknown }).v !== BRIDGE_PROTOCOL_VERSION) {
      this.fail(
        connection,
        requestId,
        'unsupported_version',
        `This server speaks bridge protocol version ${BRIDGE_PROTOCOL_VERSION}.`,
      );
      return;
    }
    if (!connection.client) {
      this.hello(connection, message);
      return;
    }
    const rpc = connection.rpc;
    if (!rpc) return;
    const cancel = cancelSchema.safeParse(message);
    if (cancel.success) {
      rpc.port.deliver({ type: 'cancel', id: cancel.data.id });
      return;
    }
    const request = requestSchema.safeParse(message);
    if (!request.success) {
      this.fail(
        connection,
        requestId,
        'bad_frame',
        'Expected a request {v, id, method, params} or a cancel {v, type, id}.',
      );
      return;
    }
    const { method, params } = request.data;
    rpc.port.deliver({ type: 'request', id: request.data.id, method, params });
  }

  private hello(connection: Connection, message: unknown): void {
    const hello = helloSchema.safeParse(message);
    if (!hello.success) {
      this.fail(
        connection,
        null,
        'unauthorized',
        'The first message must be a hello answering the challenge with the token.',
      );
      return;
    }
    if (!proofMatches(hello.data.proof, this.options.token, connection.nonce)) {
      this.fail(connection, null, 'unauthorized', 'The token is wrong.');
      return;
    }
    clearTimeout(connection.helloTimer);
    connection.client = hello.data.client;
    connection.rpc = this.serve(connection);
    this.send(connection, {
      v: BRIDGE_PROTOCOL_VERSION,
      type: 'welcome',
      server: { version: this.options.serverVersion },
    });
    this.notify();
  }

  // An agent that fans out (hundreds of tool calls at once) is served, not
  // refused: past the in-flight limit, requests wait; once maxQueued wait the
  // socket stops reading, so the client's own writes back up instead of our
  // memory, and what one chunk already held beyond that is answered 'busy'.
  // Until then the socket reads on, so a cancel reaches a waiting request.
  private serve(connection: Connection): Connection['rpc'] {
    const port = new PushPort<RpcReply, RpcCall>((reply) => {
      const message =
        reply.type === 'result'
          ? { v: BRIDGE_PROTOCOL_VERSION, id: reply.id, result: reply.result }
          : { v: BRIDGE_PROTOCOL_VERSION, id: reply.id, error: reply.error };
      if (!this.send(connection, message))
        throw new CustodianError('frame_too_large', 'The result is too large to send.');
    });
    const server = new RpcServer(port, {
      maxInFlight: this.options.maxInFlight ?? 64,
      maxQueued: this.options.maxQueued ?? 1024,
      pauseAt: this.options.maxQueued ?? 1024,
      onBackpressure: (waiting) => {
        if (waiting) connection.socket.pause();
        else if (!connection.closing) connection.socket.resume();
      },
      handle: (method, params, { signal }) => this.dispatch(connection, method, params, signal),
      describeError: (error, method) => {
        if (!(error instanceof CustodianError))
          this.options.log?.(`Bridge method ${method} failed: ${(error as Error)?.message}`);
        return frameErrorOf(error);
      },
    });
    return { port, server };
  }

  private async dispatch(
    connection: Connection,
    method: string,
    rawParams: unknown,
    signal: AbortSignal,
  ): Promise<unknown> {
    const client = connection.client;
    if (!client) throw new CustodianError('unauthorized', 'Say hello first.');
    const handler = isBridgeMethod(method)
      ? (this.options.handlers[method] as
          | ((
              params: unknown,
              connection: BridgeConnectionInfo,
              signal: AbortSignal,
            ) => Promise<unknown>)
          | undefined)
      : undefined;
    if (!isBridgeMethod(method) || !handler)
      throw new CustodianError('unknown_method', `Unknown method "${method.slice(0, 64)}".`);
    const params = bridgeMethods[method].params.safeParse(rawParams ?? {});
    if (!params.success)
      throw new CustodianError('invalid_request', z.prettifyError(params.error).slice(0, 1000));
    const info = this.info(connection, client);
    const result = bridgeMethods[method].result.safeParse(await handler(params.data, info, signal));
    if (!result.success) {
      this.options.log?.(`Bridge method ${method} returned an invalid result.`);
      throw new CustodianError('internal', 'The server produced an invalid result.');
    }
    return result.data;
  }

  private info(connection: Connection, client: ClientInfo): BridgeConnectionInfo {
    return {
      id: connection.id,
      channel: this.channel,
      client,
      connectedAt: connection.connectedAt,
    };
  }

  private error(
    connection: Connection,
    id: RequestId | null,
    code: ErrorCode,
    message: string,
  ): void {
    this.send(connection, { v: BRIDGE_PROTOCOL_VERSION, id, error: { code, message } });
  }

  /** Answers with an error frame, then ends the connection. */
  private fail(
    connection: Connection,
    id: RequestId | null,
    code: ErrorCode,
    message: string,
  ): void {
    if (connection.closing) return;
    this.error(connection, id, code, message);
    connection.closing = true;
    // Cut off: what waits never starts, what runs is told to stop.
    connection.rpc?.port.ended();
    clearTimeout(connection.helloTimer);
    connection.socket.end();
    setTimeout(() => connection.socket.destroy(), CLOSE_GRACE_MS).unref();
  }

  /** False only when the message is too large to be one frame. */
  private send(connection: Connection, message: unknown): boolean {
    const frame = encodeFrame(message);
    if (!frame) return false;
    const { socket } = connection;
    if (socket.destroyed || !socket.writable) return true;
    socket.write(frame);
    if (socket.writableLength > MAX_BUFFERED_WRITE_BYTES) {
      this.options.log?.(`Bridge client ${connection.id} stopped reading; disconnecting it.`);
      socket.destroy();
    }
    return true;
  }

  private notify(): void {
    const clients = this.clients();
    for (const listener of this.listeners) listener(clients);
  }
}
