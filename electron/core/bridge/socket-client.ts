import { connect, type Socket } from 'node:net';
import {
  BRIDGE_PROTOCOL_VERSION,
  bridgeEvents,
  bridgeMethods,
  isBridgeEvent,
  parseServerMessage,
  type BridgeEvent,
  type BridgeEventData,
  type BridgeMethod,
  type BridgeParams,
  type BridgeResult,
  type ClientInfo,
  type ServerMessage,
} from '../../../shared/bridge-protocol';
import { PushPort, RpcClient, type RpcCall, type RpcReply } from '../../../shared/rpc';
import { encodeFrame, FrameDecoder } from './frames';
import { helloProof } from './token';
import { fromWireError } from '../../../shared/error-boundaries';
import { CustodianError } from '../../../shared/errors';

// The client's end of the local socket, for the MCP bridge and the CLI. The
// app comes and goes (quit, restart, update): when the connection drops the
// client says so, fails what was in flight, and keeps trying to come back
// with a growing delay, so the bridge can answer "open Custodian" meanwhile.

export type BridgeClientState = 'connected' | 'disconnected';

export type BridgeEventMessage = {
  [E in BridgeEvent]: { event: E; data: BridgeEventData<E> };
}[BridgeEvent];

export interface BridgeClientOptions {
  path: string;
  /** The channel's token, or how to read it: read again on each attempt, as the core rotates it at each start. */
  token: string | (() => Promise<string>);
  client: ClientInfo;
  /** Keep reconnecting after a drop or a failed attempt (default true). */
  reconnect?: boolean;
  backoff?: { initialMs?: number; maxMs?: number };
  /** Limit for connecting and being welcomed. */
  connectTimeoutMs?: number;
  /** Used when call() gets no timeoutMs. */
  defaultTimeoutMs?: number;
}

/** The calls of one welcomed connection. */
interface Session {
  socket: Socket;
  port: PushPort<RpcCall, RpcReply>;
  rpc: RpcClient;
}

export class BridgeClient {
  private session: Session | undefined;
  private connecting: Promise<void> | undefined;
  /** The socket of an attempt not yet welcomed, so close() can abandon it. */
  private attempting: Socket | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private delayMs: number;
  private closed = false;
  private current: BridgeClientState = 'disconnected';
  private readonly stateListeners = new Set<(state: BridgeClientState) => void>();
  private readonly eventListeners = new Set<(message: BridgeEventMessage) => void>();
  /** Why the last attempt or connection failed, for messages to the person. */
  lastError: CustodianError | undefined;

  constructor(private readonly options: BridgeClientOptions) {
    this.delayMs = options.backoff?.initialMs ?? 250;
  }

  get state(): BridgeClientState {
    return this.current;
  }

  onStateChange(listener: (state: BridgeClientState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  onEvent(listener: (message: BridgeEventMessage) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /**
   * Connects and waits for the welcome. On failure it rejects with the reason
   * and, unless reconnect is off, keeps trying in the background.
   */
  async connect(): Promise<void> {
    if (this.closed) throw new CustodianError('not_connected', 'The client was closed.');
    if (this.session) return;
    this.connecting ??= this.attempt().finally(() => (this.connecting = undefined));
    try {
      await this.connecting;
    } catch (error) {
      this.scheduleReconnect();
      throw error;
    }
  }

  /**
   * Calls a method. Aborting `signal` withdraws the call: it rejects
   * 'cancelled' at once and the server is told to stop it.
   */
  async call<M extends BridgeMethod>(
    method: M,
    params: BridgeParams<M>,
    options: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<BridgeResult<M>> {
    const session = this.session;
    if (!session) throw new CustodianError('not_connected', 'Custodian is not reachable.');
    const answer = await session.rpc.call(method, params, {
      timeoutMs: options.timeoutMs ?? this.options.defaultTimeoutMs ?? 30_000,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const result = bridgeMethods[method].result.safeParse(answer);
    if (!result.success)
      throw new CustodianError('invalid_response', `Custodian sent an invalid result.`);
    return result.data as BridgeResult<M>;
  }

  /** Disconnects for good: no more reconnecting; calls in flight fail. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.attempting?.destroy();
    const socket = this.session?.socket;
    if (socket && !socket.destroyed) {
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.destroy();
      await closed;
    }
    this.dropped(socket);
  }

  private attempt(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.options.path);
      this.attempting = socket;
      const decoder = new FrameDecoder();
      let welcomed = false;
      let failure: CustodianError | undefined;
      const timeoutMs = this.options.connectTimeoutMs ?? 5_000;
      const timer = setTimeout(() => {
        failure ??= new CustodianError(
          'timeout',
          `Custodian did not welcome us in ${timeoutMs} ms.`,
        );
        socket.destroy();
      }, timeoutMs);
      timer.unref();

      // The server speaks first: its challenge's nonce is what the hello proves the token against.
      const answer = (nonce: string) => {
        void this.readToken().then(
          (token) => {
            const hello = encodeFrame({
              v: BRIDGE_PROTOCOL_VERSION,
              type: 'hello',
              proof: helloProof(token, nonce),
              client: this.options.client,
            });
            if (hello && !socket.destroyed) socket.write(hello);
          },
          (error: unknown) => {
            failure = new CustodianError('unauthorized', (error as Error).message);
            socket.destroy();
          },
        );
      };
      let challenged = false;
      socket.on('data', (chunk: Buffer) => {
        for (const frame of decoder.push(chunk)) {
          const message = frame.ok ? parseServerMessage(frame.value) : undefined;
          if (!message?.success) {
            failure ??= new CustodianError(
              'invalid_response',
              'Custodian sent an unreadable frame.',
            );
            socket.destroy();
            return;
          }
          if (welcomed) this.receive(message.data);
          else if ('type' in message.data && message.data.type === 'challenge') {
            // One challenge per connection: a second one is not the server we know.
            if (challenged) {
              failure ??= new CustodianError('invalid_response', 'Custodian challenged twice.');
              socket.destroy();
              return;
            }
            challenged = true;
            answer(message.data.nonce);
          } else if ('type' in message.data && message.data.type === 'welcome') {
            if (this.closed) {
              failure = new CustodianError('not_connected', 'The client was closed.');
              socket.destroy();
              return;
            }
            welcomed = true;
            clearTimeout(timer);
            this.attempting = undefined;
            this.session = this.open(socket);
            this.lastError = undefined;
            this.delayMs = this.options.backoff?.initialMs ?? 250;
            this.setState('connected');
            resolve();
          } else if ('error' in message.data) {
            failure = fromWireError(message.data.error);
          }
        }
      });
      socket.on('error', (error: NodeJS.ErrnoException) => {
        failure ??= new CustodianError(
          'not_connected',
          `Custodian is not reachable (${error.code ?? error.message}).`,
        );
      });
      socket.on('close', () => {
        clearTimeout(timer);
        if (this.attempting === socket) this.attempting = undefined;
        if (welcomed) {
          if (failure) this.lastError = failure;
          this.dropped(socket);
          this.scheduleReconnect();
        } else {
          this.lastError =
            failure ?? new CustodianError('not_connected', 'Custodian closed the connection.');
          reject(this.lastError);
        }
      });
    });
  }

  private async readToken(): Promise<string> {
    const { token } = this.options;
    return typeof token === 'string' ? token : token();
  }

  private open(socket: Socket): Session {
    const port = new PushPort<RpcCall, RpcReply>((call) => {
      const frame = encodeFrame(
        call.type === 'request'
          ? { v: BRIDGE_PROTOCOL_VERSION, id: call.id, method: call.method, params: call.params }
          : { v: BRIDGE_PROTOCOL_VERSION, type: 'cancel', id: call.id },
      );
      if (!frame) throw new CustodianError('frame_too_large', 'The request is too large.');
      if (!socket.destroyed) socket.write(frame);
    });
    const rpc = new RpcClient(port, {
      describeTimeout: (method, timeoutMs) =>
        `Custodian did not answer ${method} in ${timeoutMs} ms.`,
    });
    return { socket, port, rpc };
  }

  private receive(message: ServerMessage): void {
    if ('type' in message) {
      if (message.type !== 'event' || !isBridgeEvent(message.event)) return;
      // Unknown events and ones that fail their schema are ignored: a newer
      // server may send more than this client knows.
      const data = bridgeEvents[message.event].safeParse(message.data);
      if (!data.success) return;
      const event = { event: message.event, data: data.data } as BridgeEventMessage;
      for (const listener of this.eventListeners) listener(event);
      return;
    }
    if ('error' in message && message.id === null) {
      this.lastError = fromWireError(message.error);
      return;
    }
    // Our ids are numbers: any other id answers nothing we sent.
    if (typeof message.id !== 'number') return;
    this.session?.port.deliver(
      'error' in message
        ? { type: 'error', id: message.id, error: message.error }
        : { type: 'result', id: message.id, result: message.result },
    );
  }

  private dropped(socket: Socket | undefined): void {
    const session = this.session;
    if (socket && session?.socket !== socket) return;
    this.session = undefined;
    session?.rpc.failAll({
      code: 'disconnected',
      message: 'The connection to Custodian was lost.',
    });
    session?.port.ended();
    this.setState('disconnected');
  }

  private scheduleReconnect(): void {
    if (this.closed || this.options.reconnect === false || this.reconnectTimer || this.session)
      return;
    // Jitter keeps several clients from knocking at the same instant after a restart.
    const delay = this.delayMs * (0.8 + Math.random() * 0.4);
    this.delayMs = Math.min(this.delayMs * 2, this.options.backoff?.maxMs ?? 5_000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.closed || this.session) return;
      this.connecting ??= this.attempt().finally(() => (this.connecting = undefined));
      this.connecting.catch(() => this.scheduleReconnect());
    }, delay);
    this.reconnectTimer.unref();
  }

  private setState(state: BridgeClientState): void {
    if (this.current === state) return;
    this.current = state;
    for (const listener of this.stateListeners) listener(state);
  }
}
