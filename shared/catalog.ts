import { z } from 'zod';
import { FIELD_NAME_PATTERN } from './limits';
import { capabilitiesSchema, pluginNameSchema, toolNameSchema } from './manifest';

// Plugin store catalogs (issue 6). A catalog travels as a signed envelope whose
// `body` is the catalog JSON *as text*: the Ed25519 signature covers those exact
// UTF-8 bytes, so nobody ever has to re-serialise JSON the same way twice to
// check it. Verification lives in electron/core/store/catalog/catalog-signing.ts;
// this file is only the shape, shared with the renderer that lists plugins.

export const CATALOG_FORMAT = 1;
/** Envelope text over this is refused before parsing; the body cap leaves room for the signature. */
export const CATALOG_MAX_BYTES = 4 * 1024 * 1024;
export const CATALOG_BODY_MAX_CHARS = CATALOG_MAX_BYTES - 4096;
export const CATALOG_MAX_PLUGINS = 2000;

/** "1a2b…": the first 16 hex digits of sha256 over the raw 32-byte Ed25519 public key. */
export const KEY_ID_PATTERN = /^[0-9a-f]{16}$/;
// Standard base64 with padding; an Ed25519 signature is 64 bytes (88 characters).
const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;
// semver 2.0.0 (semver.org's recommended pattern); shared/ cannot import the semver package.
const SEMVER_PATTERN =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export const catalogEnvelopeSchema = z
  .object({
    format: z.literal(CATALOG_FORMAT),
    keyId: z.string().regex(KEY_ID_PATTERN, 'must be 16 lower-case hex digits'),
    signature: z.string().min(1).max(200).regex(BASE64_PATTERN, 'must be base64'),
    body: z.string().min(2).max(CATALOG_BODY_MAX_CHARS),
  })
  .strict();
export type CatalogEnvelope = z.infer<typeof catalogEnvelopeSchema>;

// Where an archive is: an https address, or "bundled:FILE.zip" beside the
// catalog that ships with the app (the store allows that form only there).
// Plain http only to a loopback address, which the store's fetch refuses
// unless that exact host:port was allowed (a test's own server).
export const BUNDLED_ARCHIVE_PREFIX = 'bundled:';
const LOOPBACK_HTTP = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//;
const archiveUrl = z.union([
  z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .refine((url) => url.startsWith('https://') || LOOPBACK_HTTP.test(url), 'must be https'),
  z.string().regex(/^bundled:[a-z0-9][a-z0-9._-]{0,127}\.zip$/, 'must be bundled:NAME.zip'),
]);
// A catalog's own address: https in the app; the store's fetch decides, and tests
// serve plain http from 127.0.0.1 through a fetch that allows exactly that.
const catalogUrl = z.url({ protocol: /^https?$/ }).max(2000);

export const catalogFieldSchema = z
  .object({
    name: z.string().regex(FIELD_NAME_PATTERN, 'must be lower_snake_case, at most 64 characters'),
    label: z.string().min(1).max(100),
    secret: z.boolean().default(false),
  })
  .strict();

export const catalogCredentialTypeSchema = z
  .object({
    name: z.string().regex(FIELD_NAME_PATTERN, 'must be lower_snake_case, at most 64 characters'),
    display_name: z.string().min(1).max(100),
    fields: z.array(catalogFieldSchema).max(50).default([]),
  })
  .strict();

export const catalogToolSchema = z
  .object({
    name: toolNameSchema,
    description: z.string().max(1000).default(''),
  })
  .strict();

/** The largest icon a catalog may carry, as its data: URL. */
export const CATALOG_ICON_MAX_CHARS = 24 * 1024;
/**
 * A plugin's icon, inline so the store shows it offline and without fetching
 * anything: an SVG or PNG data: URL. The window shows it with <img>, where an
 * SVG runs no script and loads nothing.
 */
export const catalogIconSchema = z
  .string()
  .max(CATALOG_ICON_MAX_CHARS, `must be at most ${CATALOG_ICON_MAX_CHARS} characters`)
  .regex(
    /^data:image\/(?:svg\+xml|png);base64,[A-Za-z0-9+/]+={0,2}$/,
    'must be a data:image/svg+xml or data:image/png base64 URL',
  );

export const catalogPluginSchema = z
  .object({
    name: pluginNameSchema,
    version: z.string().max(64).regex(SEMVER_PATTERN, 'must be a semantic version such as 1.2.3'),
    description: z.string().max(1000).default(''),
    author: z.string().max(200).default(''),
    credential_types: z.array(catalogCredentialTypeSchema).max(20).default([]),
    tools: z.array(catalogToolSchema).max(100).default([]),
    capabilities: capabilitiesSchema.default({ crypto: false, log: false, http: [] }),
    icon: catalogIconSchema.optional(),
    archive: z
      .object({
        url: archiveUrl,
        // Archives are capped by the installer too; this only rejects nonsense.
        size: z
          .number()
          .int()
          .min(1)
          .max(256 * 1024 * 1024),
        sha256: z.string().regex(SHA256_HEX, 'must be 64 lower-case hex digits'),
      })
      .strict(),
  })
  .strict();
export type CatalogPlugin = z.infer<typeof catalogPluginSchema>;

export const catalogBodySchema = z
  .object({
    name: z.string().min(1).max(200),
    sequence: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    expires: z.iso.datetime({ offset: true }),
    plugins: z.array(catalogPluginSchema).max(CATALOG_MAX_PLUGINS),
  })
  .strict()
  .superRefine((body, ctx) => {
    // One entry per plugin name and version, so "install pgp 1.2.0" means one archive.
    const seen = new Set<string>();
    body.plugins.forEach((plugin, index) => {
      const key = `${plugin.name}@${plugin.version}`;
      if (seen.has(key))
        ctx.addIssue({
          code: 'custom',
          path: ['plugins', index],
          message: `duplicate entry for ${key}`,
        });
      seen.add(key);
    });
  });
export type CatalogBody = z.infer<typeof catalogBodySchema>;

/** The id the bundled first-party catalog always has; remote ids are random hex. */
export const BUNDLED_CATALOG_ID = 'bundled';
export const CATALOG_ID_PATTERN = /^(bundled|[0-9a-f]{16})$/;

export const catalogSourceSchema = z
  .object({
    id: z.string().regex(CATALOG_ID_PATTERN),
    url: catalogUrl,
    /** Raw 32-byte Ed25519 public key, standard base64 (44 characters). */
    publicKey: z.string().length(44).regex(BASE64_PATTERN, 'must be base64'),
    keyId: z.string().regex(KEY_ID_PATTERN),
    addedAt: z.iso.datetime({ offset: true }),
  })
  .strict();
export type CatalogSource = z.infer<typeof catalogSourceSchema>;

export const catalogSourcesFileSchema = z
  .object({ version: z.literal(1), sources: z.array(catalogSourceSchema).max(100) })
  .strict();

export const CATALOG_ERROR_CODES = [
  'bad_signature',
  'unknown_key',
  'expired',
  'rollback',
  'malformed',
  'fetch_failed',
  'duplicate',
  'not_found',
  'not_removable',
  'not_saved', // the catalog was good but the disk would not keep its copy
] as const;
export type CatalogErrorCode = (typeof CATALOG_ERROR_CODES)[number];
