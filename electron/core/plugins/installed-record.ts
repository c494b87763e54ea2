import { z } from 'zod';
import { capabilitiesSchema, TIMEOUT_CAP_MS } from '../../../shared/manifest';

// .installed.json in each plugin folder: what the person agreed to, and what
// was installed. The wasm's sha256 is checked at every load, so a module
// changed behind the app's back is refused rather than run.

export const installedRecordSchema = z
  .object({
    source: z.string().min(1).max(500),
    version: z.string(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    enabled: z.boolean(),
    granted: capabilitiesSchema,
    installedAt: z.string(),
    /** The person's own lower timeout for this plugin, under the manifest's and the cap. */
    timeoutMs: z.number().int().min(100).max(TIMEOUT_CAP_MS).optional(),
    /** Exact host:port pairs on private addresses the operator allowed this plugin to reach (local development, tests). */
    allowPrivate: z
      .array(z.string().regex(/^[a-z0-9.-]+:[0-9]{1,5}$/))
      .max(20)
      .default([]),
    /** A development install follows its files: changes are reloaded and the hash re-recorded. */
    development: z.boolean().default(false),
    /** The store catalog it was installed from; updates are offered only from there. */
    catalogId: z.string().max(64).optional(),
  })
  .strict();
export type InstalledRecord = z.infer<typeof installedRecordSchema>;

export const INSTALLED_FILE = '.installed.json';
export const MANIFEST_FILE = 'plugin.toml';
