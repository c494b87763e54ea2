import { z } from 'zod';
import { VISIBLE_ONLY } from './display-text';
import { CREDENTIAL_DESCRIPTION_MAX, CREDENTIAL_NAME_MAX, FIELD_NAME_PATTERN } from './limits';

export { CREDENTIAL_DESCRIPTION_MAX, CREDENTIAL_NAME_MAX };

// What the renderer may see of a credential: metadata and non-secret fields.
// Stored secret values have no place in any schema here.

export const credentialNameSchema = z
  .string()
  .trim()
  .min(1, 'Name is required')
  .max(CREDENTIAL_NAME_MAX, `Name must be at most ${CREDENTIAL_NAME_MAX} characters`)
  // Names end up in agent tool output, where a hidden character could disguise one.
  .regex(VISIBLE_ONLY, 'Name must not contain control or invisible characters');

export const credentialDescriptionSchema = z
  .string()
  .max(
    CREDENTIAL_DESCRIPTION_MAX,
    `Description must be at most ${CREDENTIAL_DESCRIPTION_MAX} characters`,
  );

const fieldValueSchema = z.union([z.string(), z.boolean()]);
const fieldValuesSchema = z.record(z.string().regex(FIELD_NAME_PATTERN), fieldValueSchema);

export const credentialIdSchema = z.string().uuid();

export const credentialSummarySchema = z.object({
  id: credentialIdSchema,
  name: z.string(),
  type: z.string(),
  description: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type CredentialSummary = z.infer<typeof credentialSummarySchema>;

/** What a save answers: the summary, and what a plugin type's on_save check reported (a key's fingerprint, say). */
export const savedCredentialSchema = credentialSummarySchema.extend({
  inspection: z.unknown().optional(),
});
export type SavedCredential = z.infer<typeof savedCredentialSchema>;

export const credentialDetailSchema = credentialSummarySchema.extend({
  /** Values of the fields that are not secret. */
  fields: fieldValuesSchema,
  /** Names of secret fields that hold a value; their values never leave main. */
  storedSecrets: z.array(z.string()),
});
export type CredentialDetail = z.infer<typeof credentialDetailSchema>;

export const createCredentialSchema = z
  .object({
    type: z.string().regex(FIELD_NAME_PATTERN),
    name: credentialNameSchema,
    description: credentialDescriptionSchema.default(''),
    fields: fieldValuesSchema,
  })
  .strict();
export type CreateCredentialInput = z.input<typeof createCredentialSchema>;

export const updateCredentialSchema = z
  .object({
    id: credentialIdSchema,
    name: credentialNameSchema.optional(),
    description: credentialDescriptionSchema.optional(),
    /** Fields to replace; a field left out keeps its stored value. */
    fields: fieldValuesSchema.default({}),
    /** Optional fields to empty. */
    clear: z.array(z.string().regex(FIELD_NAME_PATTERN)).max(50).default([]),
  })
  .strict();
export type UpdateCredentialInput = z.input<typeof updateCredentialSchema>;

export const listCredentialsSchema = z
  .object({
    query: z.string().max(200).optional(),
    type: z.string().regex(FIELD_NAME_PATTERN).optional(),
  })
  .strict();
