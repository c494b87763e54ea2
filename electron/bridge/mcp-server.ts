import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  LATEST_PROTOCOL_VERSION,
  ListToolsRequestSchema,
  type CallToolResult,
  type Implementation,
  type ListToolsResult,
  type ServerNotification,
} from '@modelcontextprotocol/sdk/types.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { BridgeTool, ClientInfo } from '../../shared/bridge-protocol';
import { LOCKED, mcpErrorText, NO_VAULT, NOT_RUNNING } from '../../shared/error-boundaries';
import type { ErrorCode } from '../../shared/errors';
import { bridgeClientFor, type BridgeClient } from '../core/bridge';
import { CustodianError } from '../../shared/errors';
import { startApprovalProgress } from './approval-progress';
import { builtinTools, LastKnownToolsFile } from './last-known-tools';

// The MCP face of the app. It holds no secrets and no vault: tools/list and
// tools/call go over the local socket to the running app. While the app is
// away or locked, tools/list answers the last-known tools (agent-tools.json,
// which the core keeps in the data folder; the built-in tools before the app
// ever ran), and tools/call answers a tool error that says what to do. While
// a call waits for the person, a client that sent a progress token hears
// notifications/progress, so it keeps waiting.

// What an agent is told for each failure lives with the other boundary mappers.
export { LOCKED, LOST, NO_VAULT, NOT_RUNNING } from '../../shared/error-boundaries';
/** The code the app answers tools:call with while the vault is locked. */
export const VAULT_LOCKED_CODE: ErrorCode = 'vault_locked';

export interface CustodianMcpServerOptions {
  dataDir: string;
  /** The bridge's own version, told to the MCP client. */
  version: string;
  log?: (message: string) => void;
  /** How long one attempt to reach the app may take. */
  connectTimeoutMs?: number;
  /** How long a tool may run; an approval alone may take a minute. */
  callTimeoutMs?: number;
  /** Reconnect delays after the app goes away (BridgeClient's backoff). */
  backoff?: { initialMs?: number; maxMs?: number };
  /** How often a call waiting for the person sends notifications/progress. */
  progressIntervalMs?: number;
}

/**
 * The newest MCP protocol version the bundled SDK speaks; the bridge agrees
 * to it whenever a client asks for it (or for one newer than it knows).
 */
export const MCP_PROTOCOL_VERSION = LATEST_PROTOCOL_VERSION;

/** Progress while a person decides: often enough for clients that reset a 10 s+ timeout on it. */
export const PROGRESS_INTERVAL_MS = 5_000;
export const WAITING_FOR_APPROVAL = 'waiting for approval in Custodian';

type VaultState = 'absent' | 'locked' | 'unlocked';

const UNKNOWN_CLIENT: ClientInfo = { name: 'MCP client', version: 'unknown' };

/** Printable text within `max` UTF-16 units, never splitting a character. */
function printable(text: unknown, max: number): string {
  if (typeof text !== 'string') return '';
  let out = '';
  for (const char of text.replace(/\p{C}+/gu, '').trim()) {
    if (out.length + char.length > max) break;
    out += char;
  }
  return out.trim();
}

/** The MCP client's name and version as the hello may carry them. */
export function helloClientInfo(info: Implementation | undefined): ClientInfo {
  const name = printable(info?.name, 64);
  const version = printable(info?.version, 32);
  return name ? { name, version: version || UNKNOWN_CLIENT.version } : UNKNOWN_CLIENT;
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

export class CustodianMcpServer {
  readonly server: Server;
  private client: BridgeClient | undefined;
  /** The list the app last answered; undefined until it first did. */
  private tools: BridgeTool[] | undefined;
  /** The list as the agent last got it; undefined until it first asks. */
  private served: string | undefined;
  private vault: VaultState | undefined;
  /** How many of this connection's calls wait for the person (the app says). */
  private waiting = 0;
  private readonly lastKnown: LastKnownToolsFile;
  private initialized = false;
  private readonly log: (message: string) => void;

  constructor(private readonly options: CustodianMcpServerOptions) {
    this.log = options.log ?? (() => {});
    this.lastKnown = new LastKnownToolsFile(options.dataDir, this.log);
    this.server = new Server(
      { name: 'custodian', version: options.version },
      {
        capabilities: { tools: { listChanged: true } },
        instructions:
          'Custodian keeps credentials for you and uses them on your behalf through these tools; ' +
          'you never see secret values. The person may need to approve a call in the Custodian app.',
      },
    );
    this.server.setRequestHandler(ListToolsRequestSchema, () => this.listTools());
    // extra.signal fires on the client's notifications/cancelled: the core is told to stop.
    this.server.setRequestHandler(CallToolRequestSchema, (request, extra) =>
      this.withProgress(request.params._meta?.progressToken, extra, () =>
        this.callTool(request.params.name, request.params.arguments ?? {}, extra.signal),
      ),
    );
    this.server.oninitialized = () => {
      this.initialized = true;
      // Start reaching the app now, so the first tools/list finds it connected.
      this.reachable().catch(() => {});
    };
    this.server.onerror = (error) => this.log(`MCP: ${error.message}`);
  }

  async connect(transport: Transport): Promise<void> {
    await this.server.connect(transport);
  }

  async close(): Promise<void> {
    await this.client?.close();
    await this.server.close();
  }

  /** The socket client, made once the MCP client's name is known (or on first need). */
  private socketClient(): BridgeClient {
    if (this.client) return this.client;
    const info = helloClientInfo(this.server.getClientVersion());
    const client = bridgeClientFor(this.options.dataDir, info, {
      connectTimeoutMs: this.options.connectTimeoutMs ?? 3_000,
      ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
    });
    client.onStateChange((state) => {
      if (state === 'connected') {
        this.log('Connected to Custodian.');
        void this.refresh(client);
      } else {
        this.vault = undefined;
        this.waiting = 0;
        this.log(`Lost Custodian${client.lastError ? ` (${client.lastError.message})` : ''}.`);
        // Now answered from agent-tools.json: the agent hears if that is another list.
        this.announceIfChanged();
      }
    });
    client.onEvent((message) => {
      if (message.event === 'vault:changed') {
        this.vault = message.data.vault;
        this.announceIfChanged();
      } else if (message.event === 'tools:changed') this.toolsChanged();
      else if (message.event === 'approvals:waiting') this.waiting = message.data.waiting;
    });
    this.client = client;
    return client;
  }

  /** Connected, or one immediate attempt (the client also retries with backoff on its own). */
  private async reachable(): Promise<BridgeClient> {
    const client = this.socketClient();
    if (client.state !== 'connected') await client.connect();
    return client;
  }

  /** After each (re)connect: the vault state and the tool list, which may have changed meanwhile. */
  private async refresh(client: BridgeClient): Promise<void> {
    const [status, list] = await Promise.allSettled([
      client.call('status', {}),
      client.call('tools:list', {}),
    ]);
    if (status.status === 'fulfilled') this.vault = status.value.vault;
    if (list.status === 'fulfilled') this.tools = list.value.tools;
    // The app came back with other tools than the agent holds: tell it.
    this.announceIfChanged();
  }

  /**
   * What tools/list answers now: the app's own list while it is open and
   * unlocked; otherwise the last-known tools (locked, its plugins are
   * unloaded, yet their tools are still the person's), else what the app
   * last said, else the built-ins.
   */
  private servable(): BridgeTool[] {
    const live = this.client?.state === 'connected' ? this.tools : undefined;
    if (live && this.vault === 'unlocked') return live;
    return this.lastKnown.read() ?? live ?? this.tools ?? builtinTools();
  }

  /** Sends list_changed when what the agent would get differs from what it holds. */
  private announceIfChanged(): void {
    if (this.served !== undefined && JSON.stringify(this.servable()) !== this.served)
      this.toolsChanged();
  }

  private toolsChanged(): void {
    if (!this.initialized) return;
    this.server
      .sendToolListChanged()
      .catch((error: Error) => this.log(`Could not send list_changed: ${error.message}`));
  }

  private async listTools(): Promise<ListToolsResult> {
    try {
      const client = await this.reachable();
      const [list, status] = await Promise.all([
        client.call('tools:list', {}, { timeoutMs: 10_000 }),
        this.vault === undefined ? client.call('status', {}, { timeoutMs: 10_000 }) : undefined,
      ]);
      this.tools = list.tools;
      if (status) this.vault = status.vault;
    } catch (error) {
      this.log(`tools/list answered with the last-known tools: ${(error as Error).message}`);
    }
    const tools = this.servable();
    this.served = JSON.stringify(tools);
    return { tools };
  }

  /**
   * Runs a call; meanwhile, when the client sent a progress token, every
   * interval in which a call of this connection waits for the person sends
   * notifications/progress, so a client that resets its timeout on progress
   * waits as long as the person may take.
   */
  private async withProgress(
    token: string | number | undefined,
    extra: { sendNotification: (notification: ServerNotification) => Promise<void> },
    run: () => Promise<CallToolResult>,
  ): Promise<CallToolResult> {
    if (token === undefined) return run();
    const stop = startApprovalProgress(
      (progress) =>
        void extra
          .sendNotification({
            method: 'notifications/progress',
            params: { progressToken: token, progress, message: WAITING_FOR_APPROVAL },
          })
          .catch((error: Error) => this.log(`Could not send progress: ${error.message}`)),
      () => this.waiting > 0,
      this.options.progressIntervalMs ?? PROGRESS_INTERVAL_MS,
    );
    try {
      return await run();
    } finally {
      stop();
    }
  }

  private async callTool(
    name: string,
    args: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<CallToolResult> {
    let client: BridgeClient;
    try {
      client = await this.reachable();
    } catch (error) {
      return errorResult(this.unreachable(error));
    }
    if (this.vault !== 'unlocked') {
      // Not known to be unlocked: ask, rather than trust a state that may be stale.
      try {
        this.vault = (await client.call('status', {}, { timeoutMs: 10_000 })).vault;
      } catch {
        // The call below will say what is wrong.
      }
      if (this.vault === 'locked') return errorResult(LOCKED);
      if (this.vault === 'absent') return errorResult(NO_VAULT);
    }
    const timeoutMs = this.options.callTimeoutMs ?? 180_000;
    try {
      return await client.call('tools:call', { name, arguments: args }, { timeoutMs, signal });
    } catch (error) {
      // The state the answer reveals is remembered; the words come from the one mapper.
      const code = error instanceof CustodianError ? error.code : 'internal';
      if (code === VAULT_LOCKED_CODE) this.vault = 'locked';
      if (code === 'vault_absent') this.vault = 'absent';
      return errorResult(mcpErrorText(error, { tool: name, timeoutMs }));
    }
  }

  /** What to tell the agent when the app cannot be reached. */
  private unreachable(error: unknown): string {
    if (error instanceof CustodianError && error.code === 'unauthorized')
      return (
        `Custodian refused this connection: ${error.message} The bridge uses the data folder ` +
        `${this.options.dataDir}; it must be the one Custodian uses (set it with --data DIR ` +
        `or CUSTODIAN_DATA_DIR).`
      );
    return NOT_RUNNING;
  }
}
