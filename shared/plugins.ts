import { z } from 'zod';
import { capabilitiesSchema, PARAMETER_TYPES } from './manifest';

// What the renderer sees of an installed plugin.

export const pluginInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  description: z.string(),
  author: z.string(),
  license: z.string().optional(),
  homepage: z.string().optional(),
  enabled: z.boolean(),
  /** loaded: ready for calls; disabled: turned off; error: see `error`. */
  status: z.enum(['loaded', 'disabled', 'error']),
  error: z.string().optional(),
  source: z.string(),
  installedAt: z.string(),
  development: z.boolean(),
  /** The store catalog it came from, if any: updates are offered only from there. */
  catalogId: z.string().optional(),
  abi: z.enum(['extism', 'vultrino']).optional(),
  credentialTypes: z.array(z.object({ name: z.string(), display_name: z.string() })),
  actions: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      parameters: z.array(
        z.object({
          name: z.string(),
          type: z.enum(PARAMETER_TYPES),
          required: z.boolean(),
          description: z.string(),
        }),
      ),
    }),
  ),
  tools: z.array(z.object({ name: z.string(), action: z.string(), description: z.string() })),
  /** What the manifest asks for, and what the person granted. */
  capabilities: capabilitiesSchema,
  granted: capabilitiesSchema,
  timeoutMs: z.number(),
});
export type PluginInfo = z.infer<typeof pluginInfoSchema>;
