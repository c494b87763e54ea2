import { CustodianError } from '../errors';
import type { RpcPort } from './port';

// A port for a transport that pushes: the adapter hands over each decoded
// message with deliver() and says when the transport ended, and gives the
// functions that write to it and close it.

export class PushPort<Out, In> implements RpcPort<Out, In> {
  private readonly messageListeners = new Set<(message: In) => void>();
  private readonly closeListeners = new Set<() => void>();
  private done = false;

  constructor(
    private readonly write: (message: Out) => void,
    private readonly end: () => void = () => {},
  ) {}

  get closed(): boolean {
    return this.done;
  }

  send(message: Out): void {
    if (this.done) throw new CustodianError('disconnected', 'The transport is closed.');
    this.write(message);
  }

  /** One message from the transport. */
  deliver(message: In): void {
    if (this.done) return;
    for (const listener of this.messageListeners) listener(message);
  }

  /** The transport is gone (closed by either side); listeners hear it once. */
  ended(): void {
    if (this.done) return;
    this.done = true;
    for (const listener of this.closeListeners) listener();
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
    if (this.done) return;
    this.end();
    this.ended();
  }
}
