import { z } from 'zod';
import type { BridgeVaultState } from '../../../shared/bridge-protocol';
import { createCredentialSchema } from '../../../shared/credentials';
import { CustodianError } from '../../../shared/errors';
import { BridgeError, type BridgeHandlers } from '../bridge';
import type { CredentialService } from '../credentials/credential-service';
import type { CredentialTypeRegistry } from '../credentials/type-registry';
import type { PluginRegistry } from '../plugins/plugin-registry';
import type { PluginStore } from '../store/plugin-store';
import { StoreError } from '../store/store-error';
import type { Vault } from '../vault/vault';
import type { AgentService } from './agent-service';
import { sameCredentialName } from '../credentials/credential-names';

// What the local socket answers: the MCP bridge's two tool methods, and the
// CLI's. Core errors become protocol codes here, once, so the bridge and the
// CLI can each say what to do ("unlock Custodian") without parsing messages.

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
      throw new BridgeError(
        'vault_absent',
        'There is no vault yet: create one in Custodian first.',
      );
    if (state === 'locked')
      throw new BridgeError('vault_locked', 'Custodian is locked: unlock it to manage plugins.');
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
      translate(() => agents.call(connection.client.name, name, args, signal)),
    'vault:lock': async () => ({ vault: await translate(services.lock) }),
    'credentials:list': (filter) =>
      translate(async () => ({
        credentials: credentials.list(filter).map((c) => ({
          name: c.name,
          type: c.type,
          typeName: types.get(c.type)?.display_name ?? c.type,
          description: c.description,
          updatedAt: c.updatedAt,
        })),
      })),
    'credentialTypes:list': async () => ({ types: types.list() }),
    'credentials:add': (params) =>
      translate(async () => {
        const input = createCredentialSchema.safeParse(params);
        if (!input.success)
          throw new BridgeError('invalid_input', z.prettifyError(input.error).slice(0, 1000));
        const saved = await credentials.create(input.data);
        return { name: saved.name, type: saved.type };
      }),
    'credentials:remove': ({ name }) =>
      translate(async () => {
        const wanted = name.trim();
        const found = credentials.list({}).find((c) => sameCredentialName(c.name, wanted));
        if (!found) throw new BridgeError('not_found', `No credential named "${name}".`);
        await credentials.delete(found.id);
        return { name: found.name };
      }),
    'tools:policy': () => translate(async () => ({ tools: await agents.tools() })),
    'tools:setMode': ({ name, mode }) =>
      translate(async () => ({ tool: await agents.setMode(name, mode) })),
    'plugins:list': () =>
      translate(async () => {
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
      }),
    'plugins:install': ({ source, allowUnsigned, allowDowngrade, acceptChanges }) =>
      translate(async () => {
        await unlocked();
        return {
          plan: await store.installNow(source, { allowUnsigned, allowDowngrade, acceptChanges }),
        };
      }),
    'plugins:update': ({ name, acceptChanges }) =>
      translate(async () => {
        await unlocked();
        return { name, ...(await store.update(name, { acceptChanges })) };
      }),
    'plugins:remove': ({ name }) =>
      translate(async () => {
        await unlocked();
        return plugins.uninstall(name);
      }),
    'catalogs:list': () => translate(async () => ({ catalogs: await store.listCatalogs() })),
    'catalogs:add': ({ url, publicKey }) =>
      translate(async () => ({ catalog: await store.addCatalog(url, publicKey) })),
    'catalogs:remove': ({ id }) => translate(() => store.removeCatalog(id)),
    'catalogs:refresh': ({ id }) => translate(async () => ({ results: await store.refresh(id) })),
  };
}

/** Runs a handler, answering a core error with the protocol code that says what to do. */
async function translate<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof StoreError) throw new BridgeError(error.refusal, error.message);
    if (!(error instanceof CustodianError)) throw error;
    throw new BridgeError(codeOf(error), messageOf(error));
  }
}

function codeOf(error: CustodianError): string {
  switch (error.code) {
    case 'VAULT_LOCKED':
      return 'vault_locked';
    case 'VAULT_ABSENT':
      return 'vault_absent';
    case 'NOT_FOUND':
      return 'not_found';
    case 'VALIDATION_FAILED':
    case 'NAME_TAKEN':
    case 'INVALID_REQUEST':
      return 'invalid_input';
    default:
      // Its message was written for the person; the code says only that it failed inside.
      return 'internal';
  }
}

function messageOf(error: CustodianError): string {
  const fields = Object.entries(error.fields ?? {});
  if (fields.length === 0) return error.message;
  return `${error.message} ${fields.map(([field, message]) => `${field}: ${message}`).join('; ')}`;
}
