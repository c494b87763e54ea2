import { z } from 'zod';
import { catalogCredentialTypeSchema, CATALOG_ERROR_CODES, KEY_ID_PATTERN } from './catalog';
import { capabilitiesSchema, pluginNameSchema } from './manifest';

// The plugin store as the window and the CLI see it: catalog sources, the
// plugins they list (with what is installed), and install plans. A plan is
// what the person consents to: main downloads and checks the archive first,
// then shows exactly what it would grant; nothing reaches the plugins folder
// until the plan's token comes back with store:install.

const failureSchema = z.object({ code: z.enum(CATALOG_ERROR_CODES), message: z.string() });

export const catalogSourceInfoSchema = z.object({
  id: z.string(),
  url: z.string(),
  keyId: z.string(),
  bundled: z.boolean(),
  addedAt: z.string().nullable(),
  name: z.string().nullable(),
  sequence: z.number().nullable(),
  expires: z.string().nullable(),
  /** Past its expiry: still used, but its publisher should re-sign it. */
  stale: z.boolean(),
  pluginCount: z.number().int().min(0),
  /** Why the last refresh this session was refused, if it was. */
  lastError: failureSchema.nullable(),
});
export type CatalogSourceInfo = z.infer<typeof catalogSourceInfoSchema>;

export const refreshResultSchema = z.union([
  z.object({
    id: z.string(),
    ok: z.literal(true),
    changed: z.boolean(),
    sequence: z.number(),
  }),
  z.object({ id: z.string(), ok: z.literal(false), error: failureSchema }),
]);
export type RefreshResult = z.infer<typeof refreshResultSchema>;

const toolSchema = z.object({ name: z.string(), description: z.string() });

/** What an update changes, and whether the person must agree again. */
export const pluginChangesSchema = z.object({
  /** Capabilities the new version asks for that the installed one did not. */
  addedCapabilities: capabilitiesSchema,
  removedCapabilities: capabilitiesSchema,
  addedTools: z.array(toolSchema),
  removedTools: z.array(z.string()),
  /** Same name, new description: what the agent is told changes. */
  changedTools: z.array(z.object({ name: z.string(), before: z.string(), after: z.string() })),
  addedTypes: z.array(z.string()),
  removedTypes: z.array(z.string()),
  /** Wider capabilities, or tool descriptions added or changed. */
  needsConsent: z.boolean(),
});
export type PluginChanges = z.infer<typeof pluginChangesSchema>;

export const installedStateSchema = z.object({
  version: z.string(),
  enabled: z.boolean(),
  status: z.enum(['loaded', 'disabled', 'error']),
  source: z.string(),
  development: z.boolean(),
});

/** One plugin as a catalog lists it (its highest version there), with what is installed. */
export const storeEntrySchema = z.object({
  name: z.string(),
  version: z.string(),
  description: z.string(),
  author: z.string(),
  catalogId: z.string(),
  catalogName: z.string(),
  credentialTypes: z.array(catalogCredentialTypeSchema),
  tools: z.array(toolSchema),
  capabilities: capabilitiesSchema,
  /** The catalog's icon (a data: URL it checked), when it has one. */
  icon: z.string().optional(),
  size: z.number(),
  sha256: z.string(),
  installed: installedStateSchema.nullable(),
  /** The catalog's version is newer than the installed one: what it would change. */
  update: z.object({ version: z.string(), changes: pluginChangesSchema }).nullable(),
});
export type StoreEntry = z.infer<typeof storeEntrySchema>;

export const installSourceSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('catalog'),
      catalogId: z.string().max(64),
      name: pluginNameSchema,
      /** The highest version the catalog lists when absent. */
      version: z.string().max(64).optional(),
    })
    .strict(),
  /** Any catalog that lists it, the bundled one first (the CLI's `plugin install NAME`). */
  z
    .object({
      kind: z.literal('name'),
      name: pluginNameSchema,
      version: z.string().max(64).optional(),
    })
    .strict(),
  /** A local archive; a signature is looked for beside it as ARCHIVE.sig. */
  z.object({ kind: z.literal('file'), path: z.string().min(1).max(4096) }).strict(),
  /** An archive on the web; a signature is looked for at URL.sig. */
  z.object({ kind: z.literal('url'), url: z.string().min(1).max(2000) }).strict(),
]);
export type InstallSource = z.infer<typeof installSourceSchema>;

/** Why the archive can be trusted, or that it cannot. */
export const trustSchema = z.discriminatedUnion('kind', [
  /** Listed with its sha256 and size in a signed catalog. */
  z.object({ kind: z.literal('catalog'), catalogId: z.string(), catalogName: z.string() }),
  /** Signed by the key of a catalog the person trusts. */
  z.object({
    kind: z.literal('signed'),
    keyId: z.string().regex(KEY_ID_PATTERN),
    catalogName: z.string(),
  }),
  /** No signature, or one by a key nobody trusts: the person must confirm explicitly. */
  z.object({ kind: z.literal('unsigned'), reason: z.string() }),
]);
export type Trust = z.infer<typeof trustSchema>;

export const installPlanSchema = z.object({
  token: z.string(),
  name: z.string(),
  version: z.string(),
  description: z.string(),
  author: z.string(),
  /** Where it came from, for people: a catalog's name, a file path or a URL. */
  from: z.string(),
  trust: trustSchema,
  action: z.enum(['install', 'update', 'downgrade', 'reinstall']),
  installedVersion: z.string().nullable(),
  capabilities: capabilitiesSchema,
  credentialTypes: z.array(catalogCredentialTypeSchema),
  tools: z.array(toolSchema),
  /** Against the installed version; null for a fresh install. */
  changes: pluginChangesSchema.nullable(),
  size: z.number(),
  sha256: z.string(),
});
export type InstallPlan = z.infer<typeof installPlanSchema>;

export const installRequestSchema = z
  .object({
    token: z.string().min(1).max(100),
    /** The person confirmed an archive nobody vouches for (install from file, --allow-unsigned). */
    allowUnsigned: z.boolean().default(false),
    /** The person asked for an older version than the installed one. */
    allowDowngrade: z.boolean().default(false),
  })
  .strict();

export const storeProgressSchema = z.object({
  /** The id the caller gave store:prepare, so the right dialog shows it. */
  progressId: z.string(),
  received: z.number().int().min(0),
  /** From the catalog (or Content-Length); null when unknown. */
  total: z.number().int().min(0).nullable(),
});
export type StoreProgress = z.infer<typeof storeProgressSchema>;
