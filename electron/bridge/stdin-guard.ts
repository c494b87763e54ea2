import { Transform, type TransformCallback, type Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import {
  ErrorCode,
  isJSONRPCNotification,
  isJSONRPCRequest,
  JSONRPCMessageSchema,
  type JSONRPCMessage,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import { LEADING_ID_SCAN, leadingId } from '../../shared/rpc';

// What an MCP client writes to the bridge's stdin passes through this guard
// before the SDK reads it. The SDK's stdio transport closes itself when its
// buffer overflows and answers nothing to a line it cannot parse; here every
// bad line gets a JSON-RPC error and is dropped, and the bridge reads on:
// - a line longer than the limit is skipped as it streams, never buffered;
// - bytes that are not UTF-8, or text that is not JSON: Parse error, id null;
// - JSON that is not a JSON-RPC message: Invalid Request;
// - a request whose id is already in flight: Invalid Request, and only the
//   first one runs.
// A good line is parsed and checked here once and handed to the transport as
// the message it is: the SDK's own line reader (which would parse and check
// it again) is never fed.

/** One line, newline excluded. Bigger could not be forwarded to the app anyway. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

type Reply = (message: JSONRPCMessage) => void;

const idKey = (id: RequestId) => `${typeof id}:${id}`;

export class StdinGuard extends Transform {
  private parts: Buffer[] = [];
  private size = 0;
  private discarding = false;
  private readonly inFlight = new Set<string>();
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  /** Where errors for bad lines go; set by the transport. */
  reply: Reply = () => {};
  /** Good messages that arrived before the transport started, in order. */
  private early: JSONRPCMessage[] = [];
  private receiver: ((message: JSONRPCMessage) => void) | undefined;

  constructor(
    private readonly maxBytes = MAX_MESSAGE_BYTES,
    private readonly log: (message: string) => void = () => {},
  ) {
    super();
  }

  /** Where each good message goes from now on; those that came earlier go first. */
  receive(receiver: ((message: JSONRPCMessage) => void) | undefined): void {
    this.receiver = receiver;
    if (!receiver) return;
    const early = this.early;
    this.early = [];
    for (const message of early) receiver(message);
  }

  /** Called for every message the server sends: a response ends its request's flight. */
  sent(message: JSONRPCMessage): void {
    if (!('method' in message) && 'id' in message && message.id !== undefined)
      this.inFlight.delete(idKey(message.id));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      if (!this.discarding) {
        if (this.size + (end - start) > this.maxBytes) {
          this.discarding = true;
          // Its id, when its beginning names one: the client then stops waiting at once.
          const head = Buffer.concat([
            ...this.parts,
            chunk.subarray(start, Math.min(end, start + LEADING_ID_SCAN)),
          ])
            .subarray(0, LEADING_ID_SCAN)
            .toString('utf8');
          this.parts = [];
          this.size = 0;
          this.fail(
            leadingId(head),
            ErrorCode.InvalidRequest,
            `Message larger than ${this.maxBytes} bytes`,
          );
        } else if (end > start) {
          this.parts.push(chunk.subarray(start, end));
          this.size += end - start;
        }
      }
      if (newline === -1) break;
      if (this.discarding) this.discarding = false;
      else this.line(Buffer.concat(this.parts, this.size));
      this.parts = [];
      this.size = 0;
      start = newline + 1;
    }
    done();
  }

  private line(bytes: Buffer): void {
    let text: string;
    try {
      text = this.decoder.decode(bytes).replace(/\r$/, '');
    } catch {
      this.fail(null, ErrorCode.ParseError, 'Parse error: the message is not valid UTF-8');
      return;
    }
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.fail(null, ErrorCode.ParseError, 'Parse error: the message is not JSON');
      return;
    }
    const message = JSONRPCMessageSchema.safeParse(value);
    if (!message.success) {
      const id = (value as { id?: unknown } | null)?.id;
      const validId = typeof id === 'string' || (typeof id === 'number' && Number.isInteger(id));
      this.fail(validId ? id : null, ErrorCode.InvalidRequest, 'Invalid Request: not JSON-RPC 2.0');
      return;
    }
    const parsed = message.data;
    if (isJSONRPCRequest(parsed)) {
      const key = idKey(parsed.id);
      if (this.inFlight.has(key)) {
        this.fail(
          parsed.id,
          ErrorCode.InvalidRequest,
          `Invalid Request: id ${JSON.stringify(parsed.id).slice(0, 100)} is already in use by a request in flight`,
        );
        return;
      }
      this.inFlight.add(key);
    } else if (isJSONRPCNotification(parsed) && parsed.method === 'notifications/cancelled') {
      // A cancelled request gets no response, so its id leaves the flight here.
      const id = (parsed.params as { requestId?: unknown } | undefined)?.requestId;
      if (typeof id === 'string' || typeof id === 'number') this.inFlight.delete(idKey(id));
    }
    if (this.receiver) this.receiver(parsed);
    else this.early.push(parsed);
  }

  private fail(id: RequestId | null, code: number, message: string): void {
    this.log(`Ignored a bad message from the MCP client: ${message}`);
    // JSON-RPC answers errors about unreadable messages with a null id.
    this.reply({ jsonrpc: '2.0', id, error: { code, message } } as unknown as JSONRPCMessage);
  }
}

/** The SDK's stdio transport reading through a StdinGuard. */
export class GuardedStdioTransport extends StdioServerTransport {
  constructor(
    private readonly guard: StdinGuard,
    stdout: Writable,
  ) {
    super(guard, stdout);
    guard.reply = (message) => {
      this.send(message).catch(() => {});
    };
  }

  /** Messages come from the guard, already parsed and checked, not through the SDK's reader. */
  override async start(): Promise<void> {
    this.guard.receive((message) => this.onmessage?.(message));
  }

  override async close(): Promise<void> {
    this.guard.receive(undefined);
    this.onclose?.();
  }

  override send(message: JSONRPCMessage): Promise<void> {
    this.guard.sent(message);
    return super.send(message);
  }
}
