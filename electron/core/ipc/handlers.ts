import type { Settings, VaultStatus } from '../../../shared/vault-status';
import type { CredentialService } from '../credentials/credential-service';
import type { CredentialTypeRegistry } from '../credentials/type-registry';
import type { LockLifecycle } from '../lifecycle/lock-lifecycle';
import type { CoreEvents } from '../events';
import type { SettingsStore } from '../settings/settings-store';
import type { PluginRegistry } from '../plugins/plugin-registry';
import type { Vault } from '../vault/vault';
import { createAgentHandlers, type AgentHandlerServices } from './agent-handlers';
import type { HandlerTable } from './dispatch';
import { createStoreHandlers, type StoreHandlerServices } from './store-handlers';

export interface HandlerServices extends AgentHandlerServices, StoreHandlerServices {
  vault: Vault;
  credentials: CredentialService;
  types: CredentialTypeRegistry;
  settings: SettingsStore;
  events: CoreEvents;
  plugins: PluginRegistry;
  /** Unlock and lock in one order: plugins load and unload with the vault. */
  lifecycle: Pick<LockLifecycle, 'unlock' | 'lock'>;
}

/** The one handler table, served by main's IPC router and by the headless core alike. */
export function createHandlers(services: HandlerServices): HandlerTable {
  const { vault, credentials, types, settings, events, plugins, lifecycle } = services;

  const status = async (): Promise<VaultStatus> => ({
    state: await vault.state(),
    keychain: vault.keychainState,
    autoLockMinutes: (await settings.get()).autoLockMinutes,
  });
  const changed = async (): Promise<VaultStatus> => {
    const now = await status();
    events.emit('vault:changed', now);
    return now;
  };

  return {
    'vault:status': status,
    'vault:create': async () => {
      const { recoveryPassphrase, keychain } = await lifecycle.unlock(() => vault.create());
      return { recoveryPassphrase, keychain, status: await changed() };
    },
    'vault:unlock': async () => {
      await lifecycle.unlock(() => vault.unlock());
      return changed();
    },
    'vault:recover': async ({ passphrase }) => {
      const { keychain } = await lifecycle.unlock(() => vault.recover(passphrase));
      return { keychain, status: await changed() };
    },
    'vault:lock': async () => {
      await lifecycle.lock();
      return changed();
    },
    'settings:get': () => settings.get(),
    'settings:update': async (patch: Partial<Settings>) => {
      const next = await settings.update(patch);
      await changed();
      return next;
    },
    'credentialTypes:list': () => types.list(),
    'credentials:list': (filter) => credentials.list(filter),
    'credentials:get': ({ id }) => credentials.get(id),
    'credentials:create': (input) => credentials.create(input),
    'credentials:update': (input) => credentials.update(input),
    'credentials:delete': ({ id }) => credentials.delete(id),
    'plugins:list': () => {
      requireUnlocked(vault);
      return plugins.list();
    },
    'plugins:setEnabled': ({ name, enabled }) => {
      requireUnlocked(vault);
      return plugins.setEnabled(name, enabled);
    },
    'plugins:uninstall': ({ name }) => {
      requireUnlocked(vault);
      return plugins.uninstall(name);
    },
    ...createAgentHandlers(services),
    ...createStoreHandlers(services),
  };
}

// Plugins live only while the vault is open; changing them needs it open too.
function requireUnlocked(vault: Vault): void {
  vault.read(() => undefined);
}
