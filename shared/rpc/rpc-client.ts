import {
  RPC_ERROR_CODES,
  type RpcCall,
  type RpcErrorBody,
  type RpcId,
  type RpcReply,
} from './messages';
import type { RpcPort } from './port';
import { defaultError } from './rpc-error';
import { systemTimers, type RpcTimers } from './timers';

// The calling side: ids, the pending calls, a deadline on each, and cancel.
// A call settles exactly once: with its answer, its error, at its deadline,
// when its signal fires, or when the transport closes. A deadline or a signal
// also tells the other side to stop (a cancel message); an answer that comes
// after that is dropped.

export interface RpcClientOptions {
  /** Used when call() gets no timeoutMs. */
  defaultTimeoutMs?: number;
  /** What a call rejects with, built from the error body (default: an Error with .code). */
  toError?: (body: RpcErrorBody) => Error;
  /** Words for a missed deadline, for the person who reads them. */
  describeTimeout?: (method: string, timeoutMs: number) => string;
  /** Node: deadlines do not keep the process alive. */
  unrefTimers?: boolean;
  timers?: RpcTimers;
}

export interface RpcCallOptions {
  timeoutMs?: number;
  /** Aborting it withdraws the call: it rejects 'cancelled' and the other side is told. */
  signal?: AbortSignal;
}

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
  timer: unknown;
  unlisten: () => void;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<RpcId, Pending>();
  private readonly timers: RpcTimers;
  private closed = false;

  constructor(
    private readonly port: RpcPort<RpcCall, RpcReply>,
    private readonly options: RpcClientOptions = {},
  ) {
    this.timers = options.timers ?? systemTimers(options.unrefTimers ?? false);
    port.onMessage((reply) => this.receive(reply));
    port.onClose(() =>
      this.failAll({
        code: RPC_ERROR_CODES.disconnected,
        message: 'The connection closed during the call.',
      }),
    );
  }

  /** Calls still waiting for an answer. */
  get inFlight(): number {
    return this.pending.size;
  }

  call(method: string, params: unknown, options: RpcCallOptions = {}): Promise<unknown> {
    if (this.closed)
      return Promise.reject(this.error(RPC_ERROR_CODES.disconnected, 'The connection is closed.'));
    const { signal } = options;
    if (signal?.aborted)
      return Promise.reject(this.error(RPC_ERROR_CODES.cancelled, 'The call was cancelled.'));
    const id = this.nextId++;
    const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const onAbort = () =>
        this.withdraw(id, this.error(RPC_ERROR_CODES.cancelled, 'The call was cancelled.'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = this.timers.setTimeout(() => {
        const describe = this.options.describeTimeout;
        const message = describe
          ? describe(method, timeoutMs)
          : `No answer to ${method} within ${timeoutMs} ms.`;
        this.withdraw(id, this.error(RPC_ERROR_CODES.timeout, message));
      }, timeoutMs);
      this.pending.set(id, {
        resolve,
        reject,
        timer,
        unlisten: () => signal?.removeEventListener('abort', onAbort),
      });
      try {
        this.port.send({ type: 'request', id, method, params });
      } catch (error) {
        this.settle(id)?.reject(
          error instanceof Error ? error : this.error('internal', String(error)),
        );
      }
    });
  }

  /** Fails every call in flight with `body` (the owner knows best why the transport went). */
  failAll(body: RpcErrorBody): void {
    for (const id of [...this.pending.keys()])
      this.settle(id)?.reject(this.error(body.code, body.message));
  }

  /** Fails what is in flight, refuses new calls, closes the port. */
  close(body?: RpcErrorBody): void {
    if (this.closed) return;
    this.closed = true;
    this.failAll(
      body ?? { code: RPC_ERROR_CODES.disconnected, message: 'The connection was closed.' },
    );
    this.port.close();
  }

  private receive(reply: RpcReply): void {
    // Unknown ids are late answers to calls already timed out or cancelled.
    const pending = this.settle(reply.id);
    if (!pending) return;
    if (reply.type === 'result') pending.resolve(reply.result);
    else pending.reject(this.error(reply.error.code, reply.error.message));
  }

  /** The call ends here without an answer: the other side is told to stop. */
  private withdraw(id: RpcId, error: Error): void {
    const pending = this.settle(id);
    if (!pending) return;
    try {
      this.port.send({ type: 'cancel', id });
    } catch {
      // The transport is going; the other side stops with it.
    }
    pending.reject(error);
  }

  private settle(id: RpcId): Pending | undefined {
    const pending = this.pending.get(id);
    if (!pending) return undefined;
    this.pending.delete(id);
    this.timers.clearTimeout(pending.timer);
    pending.unlisten();
    return pending;
  }

  private error(code: string, message: string): Error {
    return (this.options.toError ?? defaultError)({ code, message });
  }
}
