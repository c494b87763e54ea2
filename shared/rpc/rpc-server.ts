import {
  RPC_ERROR_CODES,
  type RpcCall,
  type RpcErrorBody,
  type RpcId,
  type RpcReply,
} from './messages';
import type { RpcPort } from './port';
import { errorBodyOf } from './rpc-error';

// The answering side: each request runs its handler with an AbortSignal and
// gets exactly one reply. A cancel aborts a running handler's signal and keeps
// a waiting request from ever starting. An id already running or waiting is
// refused, so a reply always means one request. Past maxInFlight requests wait
// their turn in arrival order (the transport is asked to stop reading), and
// past maxQueued they are refused 'busy'.

export interface RpcContext {
  id: RpcId;
  method: string;
  /** Fires when the caller cancels, or when the transport closes. */
  signal: AbortSignal;
}

export interface RpcServerOptions {
  handle(method: string, params: unknown, context: RpcContext): Promise<unknown>;
  /** What a handler's failure says across the boundary (default: its own {code, message}, else internal). */
  describeError?: (error: unknown, method: string) => RpcErrorBody;
  maxInFlight?: number;
  maxQueued?: number;
  /**
   * How many waiting requests make the transport stop reading (default 1).
   * Higher lets a cancel for a waiting request still be read.
   */
  pauseAt?: number;
  /** True: enough requests wait, stop reading; false: read again. */
  onBackpressure?: (pause: boolean) => void;
}

interface Request {
  id: RpcId;
  method: string;
  params: unknown;
  controller: AbortController;
}

const keyOf = (id: RpcId) => `${typeof id}:${id}`;

export class RpcServer {
  private readonly running = new Map<string, Request>();
  private waiting: Request[] = [];
  private paused = false;
  private stopped = false;

  constructor(
    private readonly port: RpcPort<RpcReply, RpcCall>,
    private readonly options: RpcServerOptions,
  ) {
    port.onMessage((message) => this.receive(message));
    port.onClose(() => this.stop());
  }

  /** Requests running now. */
  get inFlight(): number {
    return this.running.size;
  }

  /** The caller is gone: running handlers are aborted, waiting requests never start. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.waiting = [];
    for (const request of this.running.values()) request.controller.abort();
  }

  private receive(message: RpcCall): void {
    if (this.stopped) return;
    if (message.type === 'cancel') {
      this.cancel(message.id);
      return;
    }
    const { id, method, params } = message;
    const key = keyOf(id);
    if (this.running.has(key) || this.waiting.some((r) => keyOf(r.id) === key)) {
      this.reply({
        type: 'error',
        id,
        error: {
          code: RPC_ERROR_CODES.duplicateId,
          message: `Request id ${id} is already in flight.`,
        },
      });
      return;
    }
    const request: Request = { id, method, params, controller: new AbortController() };
    if (this.running.size < this.maxInFlight && this.waiting.length === 0) {
      void this.run(request);
    } else if (this.waiting.length >= (this.options.maxQueued ?? Infinity)) {
      this.reply({
        type: 'error',
        id,
        error: {
          code: RPC_ERROR_CODES.busy,
          message: 'Too many requests waiting; wait for answers.',
        },
      });
    } else {
      this.waiting.push(request);
      this.pace();
    }
  }

  private cancel(id: RpcId): void {
    const key = keyOf(id);
    const index = this.waiting.findIndex((r) => keyOf(r.id) === key);
    if (index !== -1) {
      // Never started, so nothing ran: the answer says so.
      const [request] = this.waiting.splice(index, 1);
      if (request) this.reply(cancelled(request.id));
      this.pace();
      return;
    }
    // The handler sees its signal fire and answers as it sees fit. Unknown ids
    // are cancels that crossed their answer on the way: nothing to do.
    this.running.get(key)?.controller.abort();
  }

  private get maxInFlight(): number {
    return this.options.maxInFlight ?? Infinity;
  }

  private async run(request: Request): Promise<void> {
    const { id, method, params, controller } = request;
    const key = keyOf(id);
    this.running.set(key, request);
    try {
      const result = await this.options.handle(method, params, {
        id,
        method,
        signal: controller.signal,
      });
      this.reply({ type: 'result', id, result }, method);
    } catch (error) {
      this.reply({ type: 'error', id, error: this.describe(error, method) });
    } finally {
      this.running.delete(key);
      this.drain();
    }
  }

  private drain(): void {
    if (this.stopped) return;
    while (this.waiting.length > 0 && this.running.size < this.maxInFlight) {
      const next = this.waiting.shift();
      if (next) void this.run(next);
    }
    this.pace();
  }

  /** Tells the transport to stop or resume reading when the queue crosses pauseAt. */
  private pace(): void {
    const pause = this.waiting.length >= (this.options.pauseAt ?? 1);
    if (pause === this.paused) return;
    this.paused = pause;
    this.options.onBackpressure?.(pause);
  }

  /** A reply the port cannot carry (a result too large) is answered with why instead. */
  private reply(reply: RpcReply, method = ''): void {
    try {
      this.port.send(reply);
    } catch (error) {
      if (reply.type !== 'result') return;
      try {
        this.port.send({ type: 'error', id: reply.id, error: this.describe(error, method) });
      } catch {
        // The transport is gone; so is the caller.
      }
    }
  }

  private describe(error: unknown, method: string): RpcErrorBody {
    if (this.options.describeError) return this.options.describeError(error, method);
    return (
      errorBodyOf(error) ?? {
        code: RPC_ERROR_CODES.internal,
        message: 'The request failed inside the server.',
      }
    );
  }
}

function cancelled(id: RpcId): RpcReply {
  return {
    type: 'error',
    id,
    error: {
      code: RPC_ERROR_CODES.cancelled,
      message: 'The request was cancelled before it started.',
    },
  };
}
