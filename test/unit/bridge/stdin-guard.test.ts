import { PassThrough } from 'node:stream';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GuardedStdioTransport, StdinGuard } from '../../../electron/bridge/stdin-guard';

// Issue 17: each line from the MCP client is parsed and checked once, by the
// guard, and reaches the server as that message; the SDK's own line reader
// (a second JSON.parse and schema check) is not fed.

afterEach(() => vi.restoreAllMocks());

function wired() {
  const guard = new StdinGuard();
  const stdout = new PassThrough();
  const transport = new GuardedStdioTransport(guard, stdout);
  const received: JSONRPCMessage[] = [];
  transport.onmessage = (message) => received.push(message);
  return { guard, stdout, transport, received };
}

const line = (message: object) => Buffer.from(`${JSON.stringify(message)}\n`, 'utf8');
const ping = (id: number) => ({ jsonrpc: '2.0', id, method: 'ping' });

describe('the guarded stdio transport', () => {
  it('parses each line once and hands the server the message itself', async () => {
    const { guard, transport, received } = wired();
    await transport.start();
    const parse = vi.spyOn(JSON, 'parse');
    guard.write(Buffer.concat([line(ping(1)), line(ping(2))]));
    expect(received).toEqual([ping(1), ping(2)]);
    expect(parse).toHaveBeenCalledTimes(2);
  });

  it('keeps messages that came before it started, in order, and takes none after close', async () => {
    const { guard, transport, received } = wired();
    guard.write(line(ping(1)));
    guard.write(line(ping(2)));
    expect(received).toEqual([]);
    await transport.start();
    expect(received).toEqual([ping(1), ping(2)]);
    await transport.close();
    guard.write(line(ping(3)));
    expect(received).toEqual([ping(1), ping(2)]);
  });

  it('still answers a bad line itself and passes nothing on', async () => {
    const { guard, stdout, transport, received } = wired();
    await transport.start();
    const out: string[] = [];
    stdout.on('data', (chunk: Buffer) => out.push(chunk.toString('utf8')));
    guard.write(Buffer.from('{not json\n'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(received).toEqual([]);
    expect(JSON.parse(out.join(''))).toMatchObject({ id: null, error: { code: -32700 } });
  });
});
