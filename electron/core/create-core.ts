import * as nodeFs from 'node:fs/promises';
import { join } from 'node:path';
import type { Channel, RequestOf, ResponseOf } from '../../shared/ipc/contract';
import type { Envelope } from '../../shared/ipc/envelope';
import type { KdfCost } from './crypto/argon2';
import { CredentialService } from './credentials/credential-service';
import { CredentialTypeRegistry } from './credentials/type-registry';
import { CoreEvents } from './events';
import { dispatch, type HandlerTable, type Logger } from './ipc/dispatch';
import { createHandlers } from './ipc/handlers';
import type { KeyStore } from './keychain/key-store';
import type { HostLauncher } from './plugins/host-transport';
import { PluginCalls } from './plugins/plugin-calls';
import { PluginHostClient } from './plugins/plugin-host-client';
import { PluginRegistry, type PluginFs } from './plugins/plugin-registry';
import { PluginWatcher, type WatchFn } from './plugins/plugin-watcher';
import { SettingsStore } from './settings/settings-store';
import type { SaveStep } from './vault/atomic-file';
import { Vault } from './vault/vault';

export interface CoreOptions {
  /** The app's data folder; created 0700 if missing. */
  dataDir: string;
  keyStore: KeyStore;
  fs?: PluginFs;
  /** Fixed Argon2id cost (tests, benchmarks); calibrated at creation when absent. */
  kdfCost?: KdfCost;
  now?: () => Date;
  log?: Logger;
  onSaveStep?: (step: SaveStep) => void;
  /** Starts a plugin host process (utilityProcess in the app, fork headless). */
  launchPluginHost: HostLauncher;
  /** Custodian's version, for plugins' min_app_version. */
  appVersion: string;
  /** Watches plugin folders for changes (hot reload); off when absent. */
  watch?: WatchFn;
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
  handlers: HandlerTable;
  /** One IPC call, validated against the contract (typed when the channel is known). */
  dispatch<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<Envelope<ResponseOf<C>>>;
  dispatch(channel: unknown, payload: unknown): Promise<Envelope<unknown>>;
}

export const VAULT_FILE_NAME = 'vault.cvlt';

/** Builds the app's services. Both composition roots, main and headless, call this. */
export async function createCore(options: CoreOptions): Promise<Core> {
  const fs = options.fs ?? nodeFs;
  await fs.mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const vault = new Vault({
    path: join(options.dataDir, VAULT_FILE_NAME),
    fs,
    keyStore: options.keyStore,
    kdfCost: options.kdfCost,
    now: options.now,
    onSaveStep: options.onSaveStep,
  });
  const types = new CredentialTypeRegistry();
  const settings = new SettingsStore(options.dataDir, fs);
  const events = new CoreEvents();
  const log = options.log ?? (() => {});
  const pluginsRoot = join(options.dataDir, 'plugins');
  // The registry tells the watcher about new plugin folders; the watcher tells the registry what changed.
  const watcher = options.watch
    ? new PluginWatcher(
        pluginsRoot,
        options.watch,
        (name) => plugins.reload(name),
        async () => plugins.list().map((p) => p.name),
      )
    : undefined;
  const pluginHost = new PluginHostClient({
    launch: options.launchPluginHost,
    log,
    onLog: (plugin, level, message) => log(`plugin ${plugin} [${level}] ${message}`),
  });
  const plugins = new PluginRegistry({
    root: pluginsRoot,
    fs,
    host: pluginHost,
    types,
    appVersion: options.appVersion,
    now: options.now,
    log,
    onChange: () => {
      events.emit('plugins:changed', {});
      void watcher?.sync();
    },
  });
  const pluginCalls = new PluginCalls(plugins, pluginHost, vault, types, options.now);
  const credentials = new CredentialService(vault, types, options.now, (type, name, fields) =>
    pluginCalls.inspect(type, name, fields),
  );
  const lifecycle = {
    async unlocked() {
      await plugins.loadAll();
      await watcher?.start();
    },
    async locking() {
      watcher?.stop();
      await plugins.unloadAll();
    },
  };
  const handlers = createHandlers({
    vault,
    credentials,
    types,
    settings,
    events,
    plugins,
    lifecycle,
  });
  return {
    vault,
    types,
    credentials,
    settings,
    events,
    plugins,
    pluginHost,
    pluginCalls,
    handlers,
    dispatch: ((channel: unknown, payload: unknown) =>
      dispatch(handlers, channel, payload, log)) as Core['dispatch'],
  };
}
