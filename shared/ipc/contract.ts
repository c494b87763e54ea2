import { z } from 'zod';
import { credentialTypeSchema } from '../fields';
import {
  createCredentialSchema,
  credentialDetailSchema,
  credentialIdSchema,
  credentialSummarySchema,
  listCredentialsSchema,
  savedCredentialSchema,
  updateCredentialSchema,
} from '../credentials';
import {
  agentClientSchema,
  agentConnectionSchema,
  agentToolInfoSchema,
  answerApprovalSchema,
  auditQuerySchema,
  auditRecordSchema,
  auditVerifySchema,
  connectResultSchema,
  pendingApprovalSchema,
  setToolModeSchema,
} from '../agents';
import { PLUGIN_NAME_PATTERN } from '../manifest';
import { pluginInfoSchema } from '../plugins';
import {
  catalogSourceInfoSchema,
  installPlanSchema,
  installRequestSchema,
  refreshResultSchema,
  storeEntrySchema,
  storeProgressSchema,
} from '../store';
import { settingsSchema, vaultStatusSchema } from '../vault-status';
import type { ChannelName, EventNameList } from './channels';

// The one IPC contract: every channel the renderer may call, named
// `domain:method`, with the zod schemas of its request and its result.
// Main validates both; the preload builds window.custodian from the names.

const empty = z.object({}).strict();
const keychainOutcome = z.enum(['enrolled', 'unavailable']);

export const ipcContract = {
  'vault:status': { request: empty, response: vaultStatusSchema },
  'vault:create': {
    request: empty,
    // The recovery passphrase crosses IPC exactly once, to be shown to the person.
    response: z.object({
      recoveryPassphrase: z.string(),
      keychain: keychainOutcome,
      status: vaultStatusSchema,
    }),
  },
  'vault:unlock': { request: empty, response: vaultStatusSchema },
  'vault:recover': {
    request: z.object({ passphrase: z.string().min(1).max(1000) }).strict(),
    response: z.object({ keychain: keychainOutcome, status: vaultStatusSchema }),
  },
  'vault:lock': { request: empty, response: vaultStatusSchema },
  'settings:get': { request: empty, response: settingsSchema },
  'settings:update': { request: settingsSchema.partial().strict(), response: settingsSchema },
  'credentialTypes:list': {
    request: empty,
    response: z.array(credentialTypeSchema.and(z.object({ source: z.string() }))),
  },
  'credentials:list': {
    request: listCredentialsSchema,
    response: z.array(credentialSummarySchema),
  },
  'credentials:get': {
    request: z.object({ id: credentialIdSchema }).strict(),
    response: credentialDetailSchema,
  },
  'credentials:create': { request: createCredentialSchema, response: savedCredentialSchema },
  'credentials:update': { request: updateCredentialSchema, response: savedCredentialSchema },
  'credentials:delete': {
    request: z.object({ id: credentialIdSchema }).strict(),
    response: z.object({ id: credentialIdSchema }),
  },
  'plugins:list': { request: empty, response: z.array(pluginInfoSchema) },
  'plugins:setEnabled': {
    request: z
      .object({ name: z.string().regex(PLUGIN_NAME_PATTERN), enabled: z.boolean() })
      .strict(),
    response: pluginInfoSchema,
  },
  'plugins:uninstall': {
    request: z.object({ name: z.string().regex(PLUGIN_NAME_PATTERN) }).strict(),
    response: z.object({ name: z.string() }),
  },
  /** Every tool an agent could see, with its mode; plugin tools only while unlocked. */
  'tools:list': { request: empty, response: z.array(agentToolInfoSchema) },
  'tools:setMode': { request: setToolModeSchema, response: agentToolInfoSchema },
  /** Calls waiting for the person, oldest first. */
  'approvals:list': { request: empty, response: z.array(pendingApprovalSchema) },
  /** answered is false when the approval was already settled (timed out, cancelled). */
  'approvals:answer': {
    request: answerApprovalSchema,
    response: z.object({ answered: z.boolean() }),
  },
  /** Newest first. */
  'audit:query': { request: auditQuerySchema, response: z.array(auditRecordSchema) },
  'audit:verify': { request: empty, response: auditVerifySchema },
  'agents:clients': { request: empty, response: z.array(agentClientSchema) },
  'agents:connection': { request: empty, response: agentConnectionSchema },
  'agents:connectClaude': { request: empty, response: connectResultSchema },
  /**
   * Saves a copy of Custodian's MCP Bundle (custodian.mcpb) where the person
   * chooses in main's save dialog; path is null when they closed it.
   */
  'agents:saveClaudeBundle': {
    request: empty,
    response: z.object({ path: z.string().nullable() }).strict(),
  },
  /** Catalog sources, the bundled one first. */
  'store:catalogs': { request: empty, response: z.array(catalogSourceInfoSchema) },
  /** Fetched and verified before it is added; a refusal is an error saying why. */
  'store:addCatalog': {
    request: z
      .object({ url: z.string().min(1).max(2000), publicKey: z.string().min(1).max(200) })
      .strict(),
    response: catalogSourceInfoSchema,
  },
  'store:removeCatalog': {
    request: z.object({ id: z.string().min(1).max(64) }).strict(),
    response: z.object({ id: z.string() }),
  },
  /** One source, or every remote one; a refused refresh keeps the previous copy. */
  'store:refresh': {
    request: z.object({ id: z.string().min(1).max(64).optional() }).strict(),
    response: z.array(refreshResultSchema),
  },
  /** Every plugin of every catalog (its highest version there), with installed state. */
  'store:browse': { request: empty, response: z.array(storeEntrySchema) },
  /**
   * Downloads and checks a catalog's archive and answers what installing it
   * would grant. Progress arrives as store:progress events with progressId.
   */
  'store:prepare': {
    request: z
      .object({
        catalogId: z.string().min(1).max(64),
        name: z.string().min(1).max(64),
        version: z.string().max(64).optional(),
        progressId: z.string().min(1).max(64),
      })
      .strict(),
    response: installPlanSchema,
  },
  /** Main asks for an archive with the system's file dialog; null when the person cancels. */
  'store:prepareFile': { request: empty, response: installPlanSchema.nullable() },
  /** The person agreed to a plan: it is installed (or updated) and ready at once. */
  'store:install': { request: installRequestSchema, response: pluginInfoSchema },
  'store:cancel': {
    request: z.object({ token: z.string().min(1).max(100) }).strict(),
    response: z.object({ cancelled: z.boolean() }),
  },
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

/** Events main pushes to the renderer. */
export const ipcEvents = {
  'vault:changed': vaultStatusSchema,
  /** A plugin was installed, reloaded, turned on or off, or removed. */
  'plugins:changed': z.object({}),
  /** A tool appeared, vanished or changed mode. */
  'tools:changed': z.object({}),
  /**
   * An approval was asked for or settled: the window re-reads approvals:list (and comes
   * forward). `withdrawn` names the one the agent withdrew, so the window can say so.
   */
  'approvals:changed': z.object({
    pending: z.number().int().min(0),
    withdrawn: pendingApprovalSchema.pick({ id: true, client: true, tool: true }).optional(),
  }),
  /** New audit entries were written. */
  'audit:changed': z.object({}),
  /** An agent connected or left. */
  'agents:changed': z.object({ clients: z.number().int().min(0) }),
  /** A catalog was added, removed or refreshed. */
  'store:changed': z.object({}),
  /** Bytes of an archive downloaded so far for store:prepare. */
  'store:progress': storeProgressSchema,
} as const satisfies Record<string, z.ZodType>;

export type IpcContract = typeof ipcContract;
export type Channel = keyof IpcContract;
export type RequestOf<C extends Channel> = z.input<IpcContract[C]['request']>;
export type ParsedRequestOf<C extends Channel> = z.output<IpcContract[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<IpcContract[C]['response']>;
export type EventName = keyof typeof ipcEvents;
export type EventPayload<E extends EventName> = z.output<(typeof ipcEvents)[E]>;

// Compile-time proof that channels.ts lists exactly the channels and events above.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const channelListsMatch: Same<Channel, ChannelName> = true;
const eventListsMatch: Same<EventName, EventNameList> = true;
void channelListsMatch;
void eventListsMatch;

export { CHANNELS, EVENT_NAMES } from './channels';

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(ipcContract, name);
}
