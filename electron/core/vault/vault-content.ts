import { z } from 'zod';

// What the vault file holds once decrypted. Everything about a credential,
// its name included, lives only in here.

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
  })
  .strict();
export type StoredCredential = z.infer<typeof storedCredentialSchema>;

export const vaultContentSchema = z
  .object({
    version: z.literal(1),
    credentials: z.array(storedCredentialSchema),
  })
  .strict();
export type VaultContent = z.infer<typeof vaultContentSchema>;

export function emptyContent(): VaultContent {
  return { version: 1, credentials: [] };
}
