import type { RpcCall, RpcPort, RpcReply, RpcTimers } from '../../../shared/rpc';

// Two ends of an in-memory transport, delivering on a microtask as a real one
// would, and recording what each side sent so a test can read the wire.

class End<Out, In> implements RpcPort<Out, In> {
  readonly sent: Out[] = [];
  peer: End<In, Out> | undefined;
  closed = false;
  /** When set, send() throws it (a frame too large, say). */
  refuse: ((message: Out) => Error | undefined) | undefined;
  private readonly messageListeners = new Set<(message: In) => void>();
  private readonly closeListeners = new Set<() => void>();

  send(message: Out): void {
    if (this.closed) throw new Error('closed');
    const refused = this.refuse?.(message);
    if (refused) throw refused;
    this.sent.push(message);
    const peer = this.peer;
    queueMicrotask(() => peer?.deliver(message));
  }

  deliver(message: In): void {
    if (this.closed) return;
    for (const listener of this.messageListeners) listener(message);
  }

  onMessage(listener: (message: In) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.closeListeners) listener();
    this.peer?.close();
  }
}

export function memoryPair(): { caller: End<RpcCall, RpcReply>; callee: End<RpcReply, RpcCall> } {
  const caller = new End<RpcCall, RpcReply>();
  const callee = new End<RpcReply, RpcCall>();
  caller.peer = callee;
  callee.peer = caller;
  return { caller, callee };
}

/** A clock moved by hand: nothing fires until advance() passes its time. */
export class FakeTimers implements RpcTimers {
  private now = 0;
  private nextHandle = 1;
  private readonly due = new Map<number, { at: number; fn: () => void }>();

  setTimeout(fn: () => void, ms: number): unknown {
    const handle = this.nextHandle++;
    this.due.set(handle, { at: this.now + ms, fn });
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.due.delete(handle as number);
  }

  get scheduled(): number {
    return this.due.size;
  }

  advance(ms: number): void {
    this.now += ms;
    for (const [handle, timer] of [...this.due].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at > this.now) continue;
      this.due.delete(handle);
      timer.fn();
    }
  }
}

/** Lets queued microtasks (deliveries, handler continuations) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
