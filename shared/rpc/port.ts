// The one thing the RPC core needs from a transport: send a message, hear
// messages, hear it close, close it. A socket, a child process or a test pair
// each becomes one with a few lines of adapter.

export interface RpcPort<Out, In> {
  /** Sends one message; throws when it cannot (too large, already closed). */
  send(message: Out): void;
  /** Returns the unsubscribe. */
  onMessage(listener: (message: In) => void): () => void;
  /** Called once when the transport is gone, whoever closed it. */
  onClose(listener: () => void): () => void;
  close(): void;
}
