// The request/response vocabulary every channel of Custodian speaks once it is
// decoded: the local socket, the plugin-host channel. Each channel keeps its
// own wire format (its adapter translates); the ids, the pending calls, the
// deadlines, cancellation and the {code, message} errors are written once, in
// rpc-client.ts and rpc-server.ts.

/** Unique among one connection's calls still in flight. */
export type RpcId = number | string;

/** An error as it crosses a boundary: a code a program can act on, a message for a person. */
export interface RpcErrorBody {
  code: string;
  message: string;
}

/** What the calling side sends. A cancel names the request it withdraws. */
export type RpcCall =
  { type: 'request'; id: RpcId; method: string; params: unknown } | { type: 'cancel'; id: RpcId };

/** What the answering side sends: exactly one per request. */
export type RpcReply =
  | { type: 'result'; id: RpcId; result: unknown }
  | { type: 'error'; id: RpcId; error: RpcErrorBody };

/** Codes the RPC core itself produces; a channel's handlers add their own. */
export const RPC_ERROR_CODES = {
  /** The deadline passed before an answer came; the other side was told to cancel. */
  timeout: 'timeout',
  /** The caller withdrew the call (its AbortSignal fired). */
  cancelled: 'cancelled',
  /** The transport closed with the call still in flight. */
  disconnected: 'disconnected',
  /** A request reused the id of one still in flight. */
  duplicateId: 'duplicate_id',
  /** Too many requests waiting on one connection. */
  busy: 'busy',
  /** A handler failed in a way it did not describe. */
  internal: 'internal',
} as const;
