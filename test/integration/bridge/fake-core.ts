import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BridgeTool, ClientInfo } from '../../../shared/bridge-protocol';
import {
  BridgeError,
  startBridgeServer,
  type BridgeHandlers,
  type BridgeServer,
} from '../../../electron/core/bridge';

// A stand-in for the core's side of the socket, until the core's own
// handlers are wired: a real BridgeServer on a temp data folder whose
// status, tools:list and tools:call answers the test controls.

export const ECHO_TOOL: BridgeTool = {
  name: 'echo',
  description: 'Answers with the text it is given.',
  inputSchema: {
    type: 'object',
    properties: { text: { type: 'string' } },
    required: ['text'],
  },
};

/** Answers only when the test releases it, to keep a call in flight. */
export const SLOW_TOOL: BridgeTool = {
  name: 'slow',
  description: 'Answers when the test lets it.',
  inputSchema: { type: 'object', properties: {} },
};

export class FakeCore {
  vault: 'absent' | 'locked' | 'unlocked' = 'unlocked';
  tools: BridgeTool[] = [ECHO_TOOL, SLOW_TOOL];
  readonly calls: { name: string; arguments: Record<string, unknown>; client: ClientInfo }[] = [];
  server: BridgeServer | undefined;
  private held: (() => void)[] = [];

  constructor(readonly dataDir: string) {}

  readonly handlers: BridgeHandlers = {
    ping: async () => ({ pong: true }),
    status: async () => ({
      server: { version: '0.0.0-fake' },
      vault: this.vault,
      clients: this.server?.connectionCount ?? 0,
    }),
    'tools:list': async () => ({ tools: this.tools }),
    'tools:call': async (params, connection) => {
      this.calls.push({ ...params, client: connection.client });
      if (this.vault !== 'unlocked') throw new BridgeError('vault_locked', 'The vault is locked.');
      if (params.name === ECHO_TOOL.name)
        return { content: [{ type: 'text', text: `echo: ${String(params.arguments.text)}` }] };
      if (params.name === SLOW_TOOL.name) {
        await new Promise<void>((resolve) => this.held.push(resolve));
        return { content: [{ type: 'text', text: 'slow: done' }] };
      }
      return { content: [{ type: 'text', text: `No tool named ${params.name}.` }], isError: true };
    },
  };

  static async create(): Promise<FakeCore> {
    // Short: Unix socket paths are capped near 100 bytes.
    return new FakeCore(await mkdtemp(join(tmpdir(), 'cmcp-')));
  }

  async start(): Promise<void> {
    this.server = await startBridgeServer(this.dataDir, {
      handlers: this.handlers,
      serverVersion: '0.0.0-fake',
    });
  }

  async stop(): Promise<void> {
    this.release();
    await this.server?.close();
    this.server = undefined;
  }

  /** Changes the tool set the way the core will: new list, then the event. */
  setTools(tools: BridgeTool[]): void {
    this.tools = tools;
    this.server?.broadcast('tools:changed', {});
  }

  setVault(vault: FakeCore['vault'], { announce = true } = {}): void {
    this.vault = vault;
    if (announce) this.server?.broadcast('vault:changed', { vault });
  }

  /** Lets every held slow call answer. */
  release(): void {
    const held = this.held;
    this.held = [];
    for (const resolve of held) resolve();
  }

  get heldCalls(): number {
    return this.held.length;
  }

  async dispose(): Promise<void> {
    await this.stop();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
