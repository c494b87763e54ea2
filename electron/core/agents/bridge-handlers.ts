import { z } from 'zod';
import type { BridgeVaultState } from '../../../shared/bridge-protocol';
import { createCredentialSchema } from '../../../shared/credentials';
import { CustodianError } from '../../../shared/errors';
import { type BridgeHandlers } from '../bridge';
import type { CredentialService } from '../credentials/credential-service';
import type { CredentialTypeRegistry } from '../credentials/type-registry';
import type { PluginRegistry } from '../plugins/plugin-registry';
import type { PluginStore } from '../store/plugin-store';
import type { Vault } from '../vault/vault';
import type { AgentService } from './agent-service';
import { sameCredentialName } from '../credentials/credential-names';

// What the local socket answers: the MCP bridge's two tool methods, and the
// CLI's. Core errors are CustodianErrors with the one code model; the socket
// server maps them to frames (shared/error-boundaries.ts), so the bridge and
// the CLI can each say what to do ("unlock Custodian") without parsing messages.

export interface BridgeHandlerServices {
  agents: AgentService;
  vault: Pick<Vault, 'state'>;
  credentials: Pick<CredentialService, 'list' | 'create' | 'delete'>;
  types: Pick<CredentialTypeRegistry, 'get' | 'list'>;
  plugins: Pick<PluginRegistry, 'list' | 'uninstall'>;
  store: PluginStore;
  /** Locks the way the window's Lock button does (plugins unload, approvals cancel). */
  lock: () => Promise<BridgeVaultState>;
  serverVersion: string;
  clientCount: () => number;
}

export function createBridgeHandlers(services: BridgeHandlerServices): BridgeHandlers {
  const { agents, vault, credentials, types, plugins, store } = services;
  // Plugins exist only while the vault is open, as in the window.
  const unlocked = async () => {
    const state = await vault.state();
    if (state === 'absent')
      throw new CustodianError(
        'vault_absent',
        'There is no vault yet: create one in Custodian first.',
      );
    if (state === 'locked')
      throw new CustodianError('vault_locked', 'Custodian is locked: unlock it to manage plugins.');
  };
  return {
    ping: async () => ({ pong: true }),
    status: async () => ({
      server: { version: services.serverVersion },
      vault: await vault.state(),
      clients: services.clientCount(),
    }),
    'tools:list': async () => ({ tools: await agents.enabledTools() }),
    'tools:call': ({ name, arguments: args }, connection, signal) =>
      agents.call(connection.client.name, name, args, signal),
    'vault:lock': async () => ({ vault: await services.lock() }),
    'credentials:list': async (filter) => ({
      credentials: credentials.list(filter).map((c) => ({
        name: c.name,
        type: c.type,
        typeName: types.get(c.type)?.display_name ?? c.type,
        description: c.description,
        updatedAt: c.updatedAt,
      })),
    }),
    'credentialTypes:list': async () => ({ types: types.list() }),
    'credentials:add': async (params) => {
      const input = createCredentialSchema.safeParse(params);
      if (!input.success)
        throw new CustodianError('invalid_input', z.prettifyError(input.error).slice(0, 1000));
      const saved = await credentials.create(input.data);
      return { name: saved.name, type: saved.type };
    },
    'credentials:remove': async ({ name }) => {
      const wanted = name.trim();
      const found = credentials.list({}).find((c) => sameCredentialName(c.name, wanted));
      if (!found) throw new CustodianError('not_found', `No credential named "${name}".`);
      await credentials.delete(found.id);
      return { name: found.name };
    },
    'tools:policy': async () => ({ tools: await agents.tools() }),
    'tools:setMode': async ({ name, mode }) => ({ tool: await agents.setMode(name, mode) }),
    'plugins:list': async () => {
      await unlocked();
      return {
        plugins: plugins.list().map((p) => ({
          name: p.name,
          version: p.version,
          enabled: p.enabled,
          status: p.status,
          source: p.source,
          development: p.development,
          ...(p.error !== undefined ? { error: p.error } : {}),
        })),
      };
    },
    'plugins:install': async ({ source, allowUnsigned, allowDowngrade, acceptChanges }) => {
      await unlocked();
      return {
        plan: await store.installNow(source, { allowUnsigned, allowDowngrade, acceptChanges }),
      };
    },
    'plugins:update': async ({ name, acceptChanges }) => {
      await unlocked();
      return { name, ...(await store.update(name, { acceptChanges })) };
    },
    'plugins:remove': async ({ name }) => {
      await unlocked();
      return plugins.uninstall(name);
    },
    'catalogs:list': async () => ({ catalogs: await store.listCatalogs() }),
    'catalogs:add': async ({ url, publicKey }) => ({
      catalog: await store.addCatalog(url, publicKey),
    }),
    'catalogs:remove': ({ id }) => store.removeCatalog(id),
    'catalogs:refresh': async ({ id }) => ({ results: await store.refresh(id) }),
  };
}
