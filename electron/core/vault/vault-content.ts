import { z } from 'zod';

// What the vault file holds once decrypted. Everything about a credential,
// its name included, lives only in here.

/**
 * What a plugin type's import made of a credential's secrets (see
 * shared/plugin-abi.ts, ImportAnswer): `sealed` key material the plugin
 * reaches only by handle, `public` values it needs at call time, `info` shown
 * to the person; which plugin and version made it, and when. Absent in
 * credentials saved before imports, and in those of types without an import.
 */
export const importedMaterialSchema = z
  .object({
    sealed: z.record(z.string(), z.string()),
    public: z.record(z.string(), z.string()),
    info: z.unknown(),
    plugin: z.string(),
    version: z.string(),
    at: z.string(),
  })
  .strict();
export type ImportedMaterial = z.infer<typeof importedMaterialSchema>;

export const storedCredentialSchema = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    type: z.string(),
    description: z.string(),
    fields: z.record(z.string(), z.union([z.string(), z.boolean()])),
    createdAt: z.string(),
    updatedAt: z.string(),
    lastUsedAt: z.string().nullable(),
    imported: importedMaterialSchema.optional(),
  })
  .strict();
export type StoredCredential = z.infer<typeof storedCredentialSchema>;

/** A point of the audit chain: an entry's seq and its MAC (or, before the key, hash). */
const auditChainPointSchema = z
  .object({ seq: z.number().int().nonnegative(), link: z.string() })
  .strict();

/**
 * The audit log's key and anchor, sealed with the rest: whoever cannot open
 * the vault can neither forge the log's MACs nor move its anchored head.
 * Absent in vaults made before it; the audit log adds it at the next unlock.
 */
export const vaultAuditSchema = z
  .object({
    /** 32 random bytes, base64. */
    key: z.string(),
    /** The unkeyed chain's last entry when the key was made. */
    legacy: auditChainPointSchema.nullable(),
    /** The newest entry anchored (every save of the log, and at lock). */
    head: auditChainPointSchema.nullable(),
  })
  .strict();
export type VaultAudit = z.infer<typeof vaultAuditSchema>;

export const vaultContentSchema = z
  .object({
    version: z.literal(1),
    credentials: z.array(storedCredentialSchema),
    audit: vaultAuditSchema.optional(),
  })
  .strict();
export type VaultContent = z.infer<typeof vaultContentSchema>;

export function emptyContent(): VaultContent {
  return { version: 1, credentials: [] };
}
