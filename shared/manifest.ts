import { z } from 'zod';
import { credentialTypeSchema } from './fields';
import { FIELD_NAME_PATTERN } from './limits';

// plugin.toml, as Vultrino defines it, plus Custodian's [capabilities],
// [limits] and [plugin].min_app_version. Parsing (smol-toml) and error
// locations live in electron/core/plugins/manifest-parser.ts; this is the shape.

export const PLUGIN_NAME_PATTERN = /^[a-z][a-z0-9-]{0,63}$/;
/** Tool names reach agents: keep them to what every MCP client accepts. */
export const TOOL_NAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/;
/** A plugin's name, as manifests and catalogs spell it. */
export const pluginNameSchema = z
  .string()
  .regex(PLUGIN_NAME_PATTERN, 'must be lower-case letters, digits and -, at most 64 characters');
/** A tool's name, as manifests and catalogs spell it. */
export const toolNameSchema = z
  .string()
  .regex(TOOL_NAME_PATTERN, 'must be letters, digits, _ or -, at most 64 characters');
export const PARAMETER_TYPES = [
  'string',
  'integer',
  'number',
  'boolean',
  'object',
  'array',
] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

export const SECRET_ACCESS = ['handles', 'values'] as const;
export type SecretAccess = (typeof SECRET_ACCESS)[number];

export const TIMEOUT_DEFAULT_MS = 5_000;
export const TIMEOUT_CAP_MS = 30_000;
export const MEMORY_DEFAULT_MB = 64;
export const MEMORY_CAP_MB = 256;
export const OUTPUT_CAP_BYTES = 1024 * 1024;

// A hostname or a "*." wildcard of one, as granted to a plugin's checked fetch.
const HOST_PATTERN =
  /^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:[0-9]{1,5})?$/;
const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValue),
    z.record(z.string(), jsonValue),
  ]),
);

export const actionParameterSchema = z
  .object({
    name: z.string().regex(FIELD_NAME_PATTERN, 'must be lower_snake_case, at most 64 characters'),
    type: z.enum(PARAMETER_TYPES).default('string'),
    required: z.boolean().default(false),
    default: jsonValue.optional(),
    enum_values: z
      .array(z.union([z.string(), z.number()]))
      .min(1)
      .max(100)
      .optional(),
    description: z.string().max(500).default(''),
  })
  .strict();
export type ActionParameter = z.infer<typeof actionParameterSchema>;

export const actionSchema = z
  .object({
    name: z.string().regex(FIELD_NAME_PATTERN, 'must be lower_snake_case, at most 64 characters'),
    description: z.string().max(1000).default(''),
    parameters: z.array(actionParameterSchema).max(50).default([]),
  })
  .strict();
export type PluginAction = z.infer<typeof actionSchema>;

export const mcpToolSchema = z
  .object({
    name: toolNameSchema,
    action: z.string(),
    description: z.string().max(1000).default(''),
    /** A short name for people; the tool's name, spaced and capitalised, when absent. */
    title: z.string().min(1).max(100).optional(),
    input_schema: z.record(z.string(), jsonValue).optional(),
    /**
     * JSON Schema of the action's data: the tool then returns it as MCP
     * structuredContent, and the host checks the data against it first.
     */
    output_schema: z
      .record(z.string(), jsonValue)
      .refine((schema) => schema.type === 'object', 'must be a schema of "type" "object"')
      .optional(),
    // Hints for MCP clients (annotations). Custodian's own default modes never trust them.
    read_only: z.boolean().optional(),
    destructive: z.boolean().optional(),
    idempotent: z.boolean().optional(),
  })
  .strict();
export type McpToolDefinition = z.infer<typeof mcpToolSchema>;

export const capabilitiesSchema = z
  .object({
    crypto: z.boolean().default(false),
    log: z.boolean().default(false),
    http: z
      .array(
        z.string().toLowerCase().regex(HOST_PATTERN, 'must be a host name such as api.example.com'),
      )
      .max(50)
      .default([]),
    /**
     * How the plugin receives a credential's secret fields on the Extism ABI:
     * as opaque per-call handles (absent, or "handles"), or as the stored
     * values themselves ("values", which the person is warned about).
     */
    secret_access: z.enum(SECRET_ACCESS).optional(),
  })
  .strict();
export type Capabilities = z.infer<typeof capabilitiesSchema>;

export const pluginManifestSchema = z
  .object({
    plugin: z
      .object({
        name: pluginNameSchema,
        version: z.string().min(1).max(64),
        description: z.string().max(1000).default(''),
        author: z.string().max(200).default(''),
        license: z.string().max(100).optional(),
        homepage: z.string().url().max(500).optional(),
        format: z.literal('wasm').default('wasm'),
        wasm_module: z
          .string()
          .regex(
            /^[A-Za-z0-9._-]+\.wasm$/,
            'must be a .wasm file name in the plugin folder (no folders, no "..")',
          )
          .refine((s) => s !== '..' && !s.startsWith('.'), 'must not start with "."'),
        min_app_version: z.string().max(64).optional(),
      })
      .strict(),
    capabilities: capabilitiesSchema.default({ crypto: false, log: false, http: [] }),
    limits: z
      .object({
        timeout_ms: z.number().int().min(100).max(TIMEOUT_CAP_MS).default(TIMEOUT_DEFAULT_MS),
        memory_mb: z.number().int().min(1).max(MEMORY_CAP_MB).default(MEMORY_DEFAULT_MB),
      })
      .strict()
      .default({ timeout_ms: TIMEOUT_DEFAULT_MS, memory_mb: MEMORY_DEFAULT_MB }),
    credential_types: z.array(credentialTypeSchema).max(20).default([]),
    actions: z.array(actionSchema).max(100).default([]),
    mcp_tools: z.array(mcpToolSchema).max(100).default([]),
  })
  .strict()
  .superRefine((manifest, ctx) => {
    const unique = (items: { name: string }[], path: string, what: string) => {
      const seen = new Set<string>();
      items.forEach((item, index) => {
        if (seen.has(item.name))
          ctx.addIssue({
            code: 'custom',
            path: [path, index, 'name'],
            message: `duplicate ${what} "${item.name}"`,
          });
        seen.add(item.name);
      });
    };
    unique(manifest.credential_types, 'credential_types', 'credential type');
    unique(manifest.actions, 'actions', 'action');
    unique(manifest.mcp_tools, 'mcp_tools', 'tool');
    manifest.actions.forEach((action, a) =>
      unique(action.parameters, `actions.${a}.parameters`, 'parameter'),
    );
    const actions = new Set(manifest.actions.map((a) => a.name));
    manifest.credential_types.forEach((type, index) => {
      for (const key of ['import', 'on_save'] as const) {
        const action = type[key];
        if (action !== undefined && !actions.has(action))
          ctx.addIssue({
            code: 'custom',
            path: ['credential_types', index, key],
            message: `names no action of this plugin ("${action}")`,
          });
      }
    });
    manifest.mcp_tools.forEach((tool, index) => {
      if (!actions.has(tool.action))
        ctx.addIssue({
          code: 'custom',
          path: ['mcp_tools', index, 'action'],
          message: `names no action of this plugin ("${tool.action}")`,
        });
    });
  });
export type PluginManifest = z.infer<typeof pluginManifestSchema>;
