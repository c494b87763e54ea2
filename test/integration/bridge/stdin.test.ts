import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually';
import { ensureBundle } from './bundle';
import { echoArgs, RealCore } from './real-core';

// Malformed JSON-RPC written as raw bytes to the bridge's stdin: each bad
// message gets an error (or, for a duplicate id, only the first runs), and
// both the bridge and the app's socket server go on answering.

type Message = Record<string, unknown> & { id?: unknown };

class RawAgent {
  readonly child: ChildProcessWithoutNullStreams;
  readonly messages: Message[] = [];
  stderr = '';
  private buffer = '';

  constructor(bundle: string, dataDir: string) {
    this.child = spawn(process.execPath, [bundle, '--data', dataDir]);
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('utf8');
      let newline;
      while ((newline = this.buffer.indexOf('\n')) !== -1) {
        // stdout is the protocol: a line that is not JSON fails the test here.
        this.messages.push(JSON.parse(this.buffer.slice(0, newline)) as Message);
        this.buffer = this.buffer.slice(newline + 1);
      }
    });
  }

  write(bytes: Buffer | string): void {
    this.child.stdin.write(bytes);
  }

  send(message: unknown): void {
    this.write(`${JSON.stringify(message)}\n`);
  }

  /** Waits for the next message not yet taken that matches. */
  next(match: (m: Message) => boolean, timeoutMs = 5_000): Promise<Message> {
    return eventually(
      () => {
        const index = this.messages.findIndex(match);
        if (index === -1) throw new Error('no matching message yet');
        return this.messages.splice(index, 1)[0] as Message;
      },
      { timeoutMs, message: () => `a matching message; stderr:\n${this.stderr}` },
    );
  }

  response(id: unknown): Promise<Message> {
    return this.next((m) => m.id === id && ('result' in m || 'error' in m));
  }

  async request(id: number, method: string, params: unknown = {}): Promise<Message> {
    this.send({ jsonrpc: '2.0', id, method, params });
    return this.response(id);
  }

  async initialize(): Promise<void> {
    await this.request(0, 'initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'raw-agent', version: '1' },
    });
    this.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  }

  /** Both processes still answer: a round trip through the bridge to the app. */
  async stillWorks(id: number): Promise<void> {
    const result = await this.request(id, 'tools/call', {
      name: 'fixture_echo',
      arguments: echoArgs(`alive ${id}`),
    });
    const answer = result.result as { content: { text: string }[]; isError?: boolean };
    expect(answer.isError).toBeFalsy();
    expect(answer.content[0]?.text).toContain(`alive ${id}`);
    expect(this.child.exitCode).toBeNull();
  }

  close(): Promise<void> {
    if (this.child.exitCode !== null) return Promise.resolve();
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    return exited;
  }
}

let bundle: string;
beforeAll(() => {
  bundle = ensureBundle();
});

let core: RealCore;
let agent: RawAgent;
beforeEach(async () => {
  // A person to ask, so a call can be held in flight until the test answers it.
  core = await RealCore.create({ approvals: { kind: 'window' } });
  await core.core.agents.setMode('fixture_echo', 'allow');
  agent = new RawAgent(bundle, core.dataDir);
  await agent.initialize();
});
afterEach(async () => {
  await agent.close();
  await core.dispose();
});

const errorOf = (m: Message) => m.error as { code: number; message: string };

describe('malformed JSON-RPC on the bridge stdin', () => {
  it('answers an oversized message with an error carrying its own id, without buffering it, and reads on', async () => {
    const huge = JSON.stringify({
      jsonrpc: '2.0',
      id: 10,
      method: 'tools/call',
      params: { name: 'fixture_echo', arguments: echoArgs('x'.repeat(3 * 1024 * 1024)) },
    });
    // In pieces, as a pipe delivers it.
    for (let i = 0; i < huge.length; i += 64 * 1024) agent.write(huge.slice(i, i + 64 * 1024));
    agent.write('\n');
    // Its id is read from its beginning, so the client stops waiting at once.
    const error = await agent.next((m) => m.id === 10 && 'error' in m);
    expect(errorOf(error)).toEqual({ code: -32600, message: 'Message larger than 1048576 bytes' });
    await agent.stillWorks(11);
    // Only the good call reached the core.
    expect(await core.core.agents.audit.query({ outcome: 'succeeded' })).toHaveLength(1);
  });

  it('answers bytes that are not UTF-8 with a parse error', async () => {
    agent.write(
      Buffer.concat([
        Buffer.from('{"jsonrpc":"2.0","id":20,"method":"tools/list","params":{"x":"'),
        Buffer.from([0xff, 0xfe, 0xc3]),
        Buffer.from('"}}\n'),
      ]),
    );
    const error = await agent.next((m) => m.id === null && 'error' in m);
    expect(errorOf(error).code).toBe(-32700);
    expect(errorOf(error).message).toMatch(/not valid UTF-8/);
    expect(agent.messages.some((m) => m.id === 20)).toBe(false);
    await agent.stillWorks(21);
  });

  it('answers text that is not JSON, and JSON that is not JSON-RPC', async () => {
    agent.write('{"jsonrpc": "2.0", "id": 30, "method": \n');
    expect(errorOf(await agent.next((m) => m.id === null && 'error' in m)).code).toBe(-32700);
    agent.send({ jsonrpc: '1.0', id: 31, method: 'tools/list' });
    expect(errorOf(await agent.response(31)).code).toBe(-32600);
    agent.write('\n\r\n   \n'); // blank lines are nothing at all
    await agent.stillWorks(32);
    expect(agent.messages).toEqual([]);
  });

  it('answers an unknown method with "Method not found"', async () => {
    const answer = await agent.request(40, 'custodian/unlock', {});
    expect(errorOf(answer)).toEqual({ code: -32601, message: 'Method not found' });
    await agent.stillWorks(41);
  });

  it('runs only the first of two requests with the same id in flight', async () => {
    // http_request asks the person, so it stays in flight until the test answers.
    agent.send({
      jsonrpc: '2.0',
      id: 50,
      method: 'tools/call',
      params: {
        name: 'http_request',
        arguments: { credential: 'echo-cred', method: 'GET', url: 'https://example.com/' },
      },
    });
    await eventually(() => core.core.agents.pending().length > 0, {
      message: 'the call to ask the person',
    });
    agent.send({
      jsonrpc: '2.0',
      id: 50,
      method: 'tools/call',
      params: { name: 'fixture_echo', arguments: echoArgs('duplicate') },
    });
    const duplicate = await agent.response(50);
    expect(errorOf(duplicate).code).toBe(-32600);
    expect(errorOf(duplicate).message).toMatch(/id 50 is already in use/);
    const [approval] = core.core.agents.pending();
    core.core.agents.answer(approval?.id ?? '', 'deny');
    const first = await agent.response(50);
    expect(first.result).toEqual({
      content: [{ type: 'text', text: 'The person denied this http_request call in Custodian.' }],
      isError: true,
    });
    // Once answered, the id is free again (reuse is the client's business).
    await agent.stillWorks(50);
    // The duplicate never ran: the audit log has the denied call and the one after
    // (one entry: allowed, and it stays inside Custodian).
    const tools = (await core.core.agents.audit.query({})).map((e) => `${e.tool}:${e.outcome}`);
    expect(tools).toEqual(['fixture_echo:succeeded', 'http_request:denied']);
  });

  it('exits when the MCP client closes stdin', async () => {
    const exited = new Promise<number | null>((resolve) => agent.child.once('exit', resolve));
    agent.child.stdin.end();
    expect(await exited).toBe(0);
    expect(agent.stderr).toContain('the MCP client closed stdin');
  });
});
