import { existsSync } from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Channel, RequestOf, ResponseOf } from '../../shared/ipc/contract';
import type { Envelope } from '../../shared/ipc/envelope';
import { AgentService, type AgentServiceOptions, type ApprovalMode } from './agents/agent-service';
import {
  ClaudeLink,
  type BridgeEntryInput,
  type ClaudeConfigPathInput,
} from './agents/claude-desktop';
import type { RateLimiterOptions } from './agents/policy';
import { ToolCatalog, type ToolCatalogOptions } from './agents/tools';
import {
  bridgeSocketPath,
  startBridgeServer,
  type BridgeConnectionInfo,
  type BridgeServer,
} from './bridge';
import type { KdfCost } from './crypto/argon2';
import { CredentialService } from './credentials/credential-service';
import { CredentialTypeRegistry } from './credentials/type-registry';
import { CoreEvents } from './events';
import { dispatch, type Logger } from './ipc/dispatch';
import { LockLifecycle } from './lifecycle/lock-lifecycle';
import type { KeyStore } from './keychain/key-store';
import type { HostLauncher } from './plugins/host-transport';
import { PluginCalls } from './plugins/plugin-calls';
import { PluginHostClient } from './plugins/plugin-host-client';
import { PluginRegistry, type PluginFs } from './plugins/plugin-registry';
import { PluginWatcher, type WatchFn } from './plugins/plugin-watcher';
import { SettingsStore } from './settings/settings-store';
import { CatalogStore } from './store/catalog/catalog-store';
import { createStoreFetch } from './store/catalog/store-fetch';
import { PluginStore } from './store/plugin-store';
import type { StoreOptions } from './store/store-options';
import type { SaveStep } from './files/atomic-file';
import { ApprovalsWaiting } from './socket-api/approvals-waiting';
import { monotonicMs, type MonotonicClock } from './clock';
import { DataFolderGuard } from './files/data-folder-guard';
import { wordFsErrors } from './files/fs-errors';
import { makeFolder } from './files/make-folder';
import { createSocketHandlers } from './socket-api/socket-handlers';
import type { ClaudeBundleOptions } from './agents/claude-desktop/save-bundle';
import {
  AdminGate,
  createUseCases,
  UseCaseRunner,
  type AdminMode,
  type CallContext,
  type UseCaseInput,
  type UseCaseName,
  type UseCaseOutput,
  type UseCases,
} from './use-cases';
import { vaultStatus } from './use-cases/vault';
import { Vault } from './vault/vault';

export interface CoreOptions {
  /** The app's data folder; created 0700 if missing. */
  dataDir: string;
  keyStore: KeyStore;
  fs?: PluginFs;
  /** Fixed Argon2id cost (tests, benchmarks); calibrated at creation when absent. */
  kdfCost?: KdfCost;
  now?: () => Date;
  /**
   * Milliseconds on a clock that never jumps (performance.now by default): what
   * deadlines, windows and expiries are measured on. Tests move it by hand.
   */
  monotonic?: MonotonicClock;
  log?: Logger;
  /** How often the data folder and socket are looked at between writes (default 3 s). */
  folderCheckMs?: number;
  onSaveStep?: (step: SaveStep) => void;
  /** Starts a plugin host process (utilityProcess in the app, fork headless). */
  launchPluginHost: HostLauncher;
  /** Custodian's version, for plugins' min_app_version. */
  appVersion: string;
  /** Watches plugin folders for changes (hot reload); off when absent. */
  watch?: WatchFn;
  /** Who answers "ask" tools: a person in the window, or the start-up list headless (default). */
  approvals?: ApprovalMode;
  /**
   * The command line's admin channel: 'ask' the person in the window (the
   * default with window approvals), 'open' (serve --admin), or 'closed' (the
   * default headless).
   */
  admin?: AdminMode;
  /** How an MCP client starts the bridge: the packaged launcher, or node and the built file. */
  bridgeCommand: Omit<BridgeEntryInput, 'dataDir'>;
  /** Where to look for Claude Desktop's config; this machine's by default. */
  claudeLocation?: ClaudeConfigPathInput;
  rateLimit?: RateLimiterOptions;
  /** The audit log's files and the gathering of refused calls (tests shrink and drive them). */
  audit?: Pick<AgentServiceOptions, 'auditFiles' | 'refusals'>;
  /** Tool options (http_request limits; tests resolve DNS themselves). */
  tools?: ToolCatalogOptions;
  /** The plugin store: the bundled catalog, the file dialog, hosts tests allow. */
  store?: StoreOptions;
  /** custodian.mcpb and main's save dialog, for "Install in Claude Desktop (.mcpb)". */
  claudeBundle?: ClaudeBundleOptions;
}

export interface Core {
  vault: Vault;
  types: CredentialTypeRegistry;
  credentials: CredentialService;
  settings: SettingsStore;
  events: CoreEvents;
  plugins: PluginRegistry;
  pluginHost: PluginHostClient;
  pluginCalls: PluginCalls;
  /** Everything a person, an agent or the command line can do; the adapters route here. */
  useCases: UseCases;
  /** Tools, policy, approvals and the audit log. */
  agents: AgentService;
  claude: ClaudeLink;
  /** Catalogs, browsing, and installs with consent. */
  store: PluginStore;
  /** Unlock, lock and close, in one order; the composition roots register what they add. */
  lifecycle: LockLifecycle;
  /** The agents connected over their socket now (none before startBridge). */
  clients(): BridgeConnectionInfo[];
  /** Who lets the command line's admin channel change things. */
  adminGate: AdminGate;
  /**
   * Listens on the agents' socket (for the bridge) and the admin socket (for
   * the CLI), each with a fresh token; once. Answers the agents' server.
   */
  startBridge(): Promise<BridgeServer>;
  /** The lifecycle's close: a lock, then the socket, the audit log and the plugin host stop. */
  close(): Promise<void>;
  /** One IPC call, validated against the contract (typed when the channel is known). */
  dispatch<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<Envelope<ResponseOf<C>>>;
  dispatch(channel: unknown, payload: unknown): Promise<Envelope<unknown>>;
  /** One use case for an in-process caller (the command line's init and serve), errors thrown. */
  run<N extends UseCaseName>(
    name: N,
    input: UseCaseInput<N>,
    context: CallContext,
  ): Promise<UseCaseOutput<N>>;
}

export const VAULT_FILE_NAME = 'vault.cvlt';

/** Builds the app's services. Both composition roots, main and headless, call this. */
export async function createCore(options: CoreOptions): Promise<Core> {
  const fs = options.fs ?? nodeFs;
  // Named by a file inside it, so the message names the data folder itself.
  await wordFsErrors(join(options.dataDir, VAULT_FILE_NAME), 'Custodian cannot start', () =>
    makeFolder(fs, options.dataDir),
  );
  const events = new CoreEvents();
  const log = options.log ?? (() => {});
  // Emitted through a function set once the settings exist (below).
  let tellStatus: () => void = () => {};
  const guard = new DataFolderGuard({
    fs,
    folder: options.dataDir,
    log,
    onChange: () => tellStatus(),
    ...(options.folderCheckMs !== undefined ? { everyMs: options.folderCheckMs } : {}),
  });
  await guard.start();
  const vault = new Vault({
    path: join(options.dataDir, VAULT_FILE_NAME),
    fs,
    keyStore: options.keyStore,
    kdfCost: options.kdfCost,
    now: options.now,
    onSaveStep: options.onSaveStep,
    // Secrets are never written into a folder that is not the one the person's vault lives in.
    beforeWrite: () => guard.requireIntact(),
  });
  const types = new CredentialTypeRegistry();
  const settings = new SettingsStore(options.dataDir, fs);
  const folderProblem = () => guard.problem;
  tellStatus = () =>
    void vaultStatus({ vault, settings, folderProblem })
      .then((status) => events.emit('vault:changed', status))
      .catch(() => undefined);
  const pluginsRoot = join(options.dataDir, 'plugins');
  const pluginHost = new PluginHostClient({
    launch: options.launchPluginHost,
    log,
    onLog: (plugin, level, message) => log(`plugin ${plugin} [${level}] ${message}`),
    // A crash loop reaches the window's plugin list (and the log, above).
    onHaltedChange: () => events.emit('plugins:changed', {}),
    monotonic: options.monotonic,
  });
  const plugins = new PluginRegistry({
    root: pluginsRoot,
    fs,
    host: pluginHost,
    types,
    appVersion: options.appVersion,
    now: options.now,
    log,
    onChange: () => events.emit('plugins:changed', {}),
  });
  // The watcher tells the registry what changed; the registry's changes tell it what to watch.
  const watcher = options.watch
    ? new PluginWatcher(
        pluginsRoot,
        options.watch,
        (name) => plugins.reload(name),
        async () => plugins.list().map((p) => p.name),
      )
    : undefined;
  if (watcher) events.on('plugins:changed', () => void watcher.sync());
  const pluginCalls = new PluginCalls(plugins, pluginHost, vault, types, options.now);
  const credentials = new CredentialService(vault, types, options.now, (type, name, fields) =>
    pluginCalls.importFields(type, name, fields),
  );
  const catalog = new ToolCatalog(
    { vault, types, credentials, plugins, pluginCalls },
    options.tools,
  );
  const agents = new AgentService({
    dataDir: options.dataDir,
    fs,
    vault,
    types,
    catalog,
    approvals: options.approvals ?? { kind: 'headless' },
    rateLimit: options.rateLimit,
    monotonic: options.monotonic,
    ...options.audit,
    now: options.now,
    log,
    onApprovalsChanged: (change) => events.emit('approvals:changed', change),
    onAuditChanged: () => events.emit('audit:changed', {}),
  });
  // The window and the tray show modes too: they hear of any change of a tool or its mode.
  agents.onToolsChanged(() => events.emit('tools:changed', {}));
  events.on('plugins:changed', () => void agents.checkToolsChanged());
  events.on('vault:changed', () => void agents.checkToolsChanged());
  void agents.checkToolsChanged();
  const claude = new ClaudeLink({
    location: options.claudeLocation ?? {
      platform: process.platform,
      env: process.env,
      homedir: homedir(),
      exists: existsSync,
    },
    bridge: options.bridgeCommand,
    dataDir: options.dataDir,
    // Claude's config is the person's file outside our data folder: always the real one.
    fs: nodeFs,
  });

  const storeFetch = createStoreFetch({ allowPrivate: options.store?.allowPrivate ?? [] });
  const store = new PluginStore({
    catalogs: new CatalogStore({
      dataDir: options.dataDir,
      fs,
      fetch: storeFetch,
      now: options.now,
      bundled: options.store?.bundled ?? undefined,
    }),
    registry: plugins,
    fetch: storeFetch,
    appVersion: options.appVersion,
    bundled: options.store?.bundled,
    now: options.now,
    onCatalogsChanged: () => events.emit('store:changed', {}),
  });

  // Told in this order on unlock, the reverse on lock and close (DESIGN: one lock lifecycle).
  const lifecycle = new LockLifecycle({ lockVault: () => vault.lock(), log });
  // First: the audit key is there before anything can act, and is dropped last, after
  // the calls the others cancelled are recorded and the head is anchored.
  lifecycle.register({
    name: 'audit key',
    unlocked: () => agents.auditUnlocked(),
    locking: () => agents.auditLocking(),
  });
  lifecycle.register({ name: 'plugin host', shutdown: () => pluginHost.stop() });
  lifecycle.register({ name: 'data folder guard', shutdown: () => guard.stop() });
  lifecycle.register({ name: 'audit log', shutdown: () => agents.audit.close() });
  lifecycle.register({
    name: 'plugins',
    unlocked: () => {
      // Unlocking again is the person's way to try a host a crash loop stopped.
      pluginHost.resume();
      return plugins.loadAll();
    },
    locking: () => plugins.unloadAll(),
  });
  if (watcher)
    lifecycle.register({
      name: 'plugin watcher',
      unlocked: () => watcher.start(),
      locking: () => watcher.stop(),
    });
  lifecycle.register({ name: 'usage recorder', locking: () => catalog.usageSaved() });
  // Calls waiting for the person are cancelled and every standing grant ends.
  lifecycle.register({ name: 'approvals and grants', locking: () => agents.locking() });
  // A core that closed writes nothing more: the last tool check's file write ends first.
  lifecycle.register({ name: 'tool checks', shutdown: () => agents.toolChecksSettled() });

  const adminGate = new AdminGate({
    mode: options.admin ?? (options.approvals?.kind === 'window' ? 'ask' : 'closed'),
    ask: (question, signal) => agents.askAdmin(question, signal),
    vault,
    // Idle time is measured, not read by a person: the monotonic clock, as for grants.
    now: options.monotonic ?? monotonicMs,
  });
  // A lock ends the command line's session: the next request asks again.
  lifecycle.register({ name: 'admin session', locking: () => adminGate.endSession() });

  // The sockets start later (or never): until then there are no clients.
  let bridge: { agents: BridgeServer; admin: BridgeServer } | undefined;
  // Both channels' connections: the agents, and command lines talking to the core now.
  const clients = () => (bridge ? [...bridge.agents.clients(), ...bridge.admin.clients()] : []);
  // Built once, after every service they use; the IPC and socket adapters share them.
  const useCases = createUseCases({
    vault,
    settings,
    folderProblem,
    events,
    lifecycle,
    credentials,
    types,
    agents,
    audit: agents.audit,
    plugins,
    store,
    progress: (progress) => events.emit('store:progress', progress),
    pickFile: options.store?.pickFile,
    claude,
    clients,
    serverVersion: options.appVersion,
    claudeBundle: options.claudeBundle,
  });
  const runner = new UseCaseRunner(useCases, vault, adminGate);
  let starting: Promise<BridgeServer> | undefined;
  // One numbering for both sockets: a connection id names one connection whatever its channel.
  let nextConnection = 1;
  const nextId = () => nextConnection++;
  const startBridge = () =>
    (starting ??= (async () => {
      const handlers = createSocketHandlers(runner);
      const server = await startBridgeServer(options.dataDir, {
        channel: 'agents',
        nextId,
        serverVersion: options.appVersion,
        log,
        handlers,
      });
      let admin: BridgeServer;
      try {
        admin = await startBridgeServer(options.dataDir, {
          channel: 'admin',
          nextId,
          serverVersion: options.appVersion,
          log,
          handlers,
        });
      } catch (error) {
        await server.close();
        throw error;
      }
      const clientsChanged = () => events.emit('agents:changed', { clients: clients().length });
      server.onClientsChanged(clientsChanged);
      admin.onClientsChanged(clientsChanged);
      // Agents hear only of changes to the tools they may see.
      const toolsChanged = agents.onEnabledToolsChanged(() =>
        server.broadcast('tools:changed', {}),
      );
      const vaultChanged = events.on('vault:changed', (status) =>
        server.broadcast('vault:changed', { vault: status.state }),
      );
      // Each connection hears how many of its own calls wait for the person.
      const waiting = new ApprovalsWaiting(server);
      const approvalsChanged = events.on('approvals:changed', () =>
        waiting.update(agents.pending()),
      );
      lifecycle.register({
        name: 'bridge sessions',
        shutdown: async () => {
          toolsChanged.dispose();
          vaultChanged();
          approvalsChanged();
          bridge = undefined;
          await Promise.all([server.close(), admin.close()]);
        },
      });
      bridge = { agents: server, admin };
      // A named pipe on Windows has no file to lose.
      if (process.platform !== 'win32') await guard.watchSocket(bridgeSocketPath(options.dataDir));
      return server;
    })());
  return {
    agents,
    claude,
    store,
    clients,
    adminGate,
    startBridge,
    lifecycle,
    close: () => lifecycle.close(),
    vault,
    types,
    credentials,
    settings,
    events,
    plugins,
    pluginHost,
    pluginCalls,
    useCases,
    dispatch: ((channel: unknown, payload: unknown) =>
      dispatch(runner, channel, payload, log)) as Core['dispatch'],
    run: (name, input, context) => runner.run(name, input, context),
  };
}
