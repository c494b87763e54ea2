import { z } from 'zod';
import {
  agentToolInfoSchema,
  auditListSchema,
  auditPageSchema,
  auditVerifySchema,
  setToolModeSchema,
} from './agents';
import { credentialTypeSchema } from './fields';
import { pluginNameSchema } from './manifest';
import {
  catalogSourceInfoSchema,
  installPlanSchema,
  installSourceSchema,
  refreshResultSchema,
} from './store';
import { CREDENTIAL_DESCRIPTION_MAX, CREDENTIAL_NAME_MAX, FIELD_VALUE_MAX_LENGTH } from './limits';

// The local socket protocol between the core and its clients (the MCP bridge,
// the CLI). Newline-delimited JSON, one message per line, every message
// carrying the protocol version so either side can refuse what it does not
// speak. The server speaks first with a challenge holding a fresh nonce; the
// client answers with a hello proving it holds the channel's token (an HMAC
// of the nonce, never the token itself), so a hello captured on one
// connection is worth nothing on the next. Nothing else is answered until
// the server has welcomed the client.

// 2: the challenge and the hello's proof replaced the hello's token.
export const BRIDGE_PROTOCOL_VERSION = 2;

/** Largest frame in bytes, newline excluded. Bigger ones close the connection. */
export const MAX_FRAME_BYTES = 1024 * 1024;

const version = z.literal(BRIDGE_PROTOCOL_VERSION);

/** Unique among one connection's requests still in flight. */
export const requestIdSchema = z.union([
  z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  z.string().min(1).max(128),
]);
export type RequestId = z.infer<typeof requestIdSchema>;

// Client names end up in the tray menu: printable text only, no control or
// invisible characters that could disguise one client as another.
const displayText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\p{C}]+$/u, 'must be printable text');

export const clientInfoSchema = z
  .object({ name: displayText(64), version: displayText(32) })
  .strict();
export type ClientInfo = z.infer<typeof clientInfoSchema>;

/** The server's first frame: a fresh random nonce for this connection alone. */
export const challengeSchema = z
  .object({ v: version, type: z.literal('challenge'), nonce: z.string().regex(/^[0-9a-f]{64}$/) })
  .strict();
export type Challenge = z.infer<typeof challengeSchema>;

export const helloSchema = z
  .object({
    v: version,
    type: z.literal('hello'),
    /** HMAC-SHA256 keyed by the channel's token over "custodian-hello:" + nonce, in hex. */
    proof: z.string().max(256),
    client: clientInfoSchema,
  })
  .strict();
export type Hello = z.infer<typeof helloSchema>;

export const requestSchema = z
  .object({
    v: version,
    id: requestIdSchema,
    method: z.string().min(1).max(128),
    // Checked against the method's own schema once the method is known.
    params: z.unknown().optional(),
  })
  .strict();
export type BridgeRequest = z.infer<typeof requestSchema>;

/**
 * The client withdraws a request still in flight (the MCP client cancelled
 * the call, or the client's own deadline passed). The server stops it if it
 * can; a request that has not started never starts. Whatever answer it still
 * gets, the client has stopped waiting for.
 */
export const cancelSchema = z
  .object({ v: version, type: z.literal('cancel'), id: requestIdSchema })
  .strict();
export type BridgeCancel = z.infer<typeof cancelSchema>;

// Error codes are the one enum of shared/errors.ts. A client that meets a code
// it does not know (a newer core) reads it as `internal` (fromWireError).
export const errorBodySchema = z.object({
  code: z.string().min(1).max(64),
  message: z.string().max(4096),
  // The details of shared/errors.ts, beside the code as in every error shape.
  fields: z.record(z.string(), z.string()).optional(),
  reason: z.string().max(64).optional(),
});
export type BridgeErrorBody = z.infer<typeof errorBodySchema>;

export const resultResponseSchema = z
  .object({ v: version, id: requestIdSchema, result: z.unknown() })
  .strict();
/**
 * `id` is null for errors about the connection rather than one request, and
 * for a refused frame whose id could not be read.
 */
export const errorResponseSchema = z
  .object({ v: version, id: requestIdSchema.nullable(), error: errorBodySchema })
  .strict();
export const welcomeSchema = z
  .object({
    v: version,
    type: z.literal('welcome'),
    server: z.object({ version: z.string().max(32) }),
  })
  .strict();
export const eventMessageSchema = z
  .object({ v: version, type: z.literal('event'), event: z.string().max(128), data: z.unknown() })
  .strict();

export const serverMessageSchema = z.union([
  challengeSchema,
  welcomeSchema,
  eventMessageSchema,
  errorResponseSchema,
  resultResponseSchema,
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

/**
 * Checks a frame from the server against the one schema its shape names (a
 * `result`, an `error`, or a `type`) instead of trying the union's five in
 * turn: every tool call's answer is a result frame, checked once. Accepts and
 * refuses exactly what serverMessageSchema does.
 */
export function parseServerMessage(value: unknown): z.ZodSafeParseResult<ServerMessage> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const schema =
      'type' in value
        ? (SERVER_MESSAGE_BY_TYPE as Record<string, z.ZodType<ServerMessage> | undefined>)[
            String((value as { type: unknown }).type)
          ]
        : 'result' in value
          ? resultResponseSchema
          : 'error' in value
            ? errorResponseSchema
            : undefined;
    if (schema) return schema.safeParse(value);
  }
  return serverMessageSchema.safeParse(value);
}

const SERVER_MESSAGE_BY_TYPE = {
  challenge: challengeSchema,
  welcome: welcomeSchema,
  event: eventMessageSchema,
};

const empty = z.object({}).strict();

/** Vault states as the bridge reports them (the same words as vault:status). */
export const bridgeVaultStateSchema = z.enum(['absent', 'locked', 'unlocked']);
export type BridgeVaultState = z.infer<typeof bridgeVaultStateSchema>;

/** MCP ToolAnnotations: hints for the client about what a tool does. */
export const toolAnnotationsSchema = z
  .object({
    title: z.string().max(200).optional(),
    readOnlyHint: z.boolean().optional(),
    destructiveHint: z.boolean().optional(),
    idempotentHint: z.boolean().optional(),
    openWorldHint: z.boolean().optional(),
  })
  .strict();

/**
 * One tool as the agent sees it: an MCP Tool's name, title, description,
 * input and output schemas and annotations. Nothing in it is secret: the core
 * also keeps the list in agent-tools.json for the bridge to answer from while
 * the app is closed.
 */
export const bridgeToolSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[^\p{C}\s]+$/u, 'must be printable text without spaces'),
    title: z.string().max(200).optional(),
    description: z.string().max(4096),
    inputSchema: z.looseObject({ type: z.literal('object') }),
    outputSchema: z.looseObject({ type: z.literal('object') }).optional(),
    annotations: toolAnnotationsSchema.optional(),
  })
  .strict();
export type BridgeTool = z.infer<typeof bridgeToolSchema>;

/**
 * Every method a client may call, with the schemas of its params and result.
 * The server validates both; the client validates results.
 */
export const bridgeMethods = {
  ping: { params: empty, result: z.object({ pong: z.literal(true) }).strict() },
  status: {
    params: empty,
    result: z
      .object({
        server: z.object({ version: z.string() }),
        vault: bridgeVaultStateSchema,
        clients: z.number().int().min(0),
      })
      .strict(),
  },
  /**
   * The tools the agent may see now, as MCP lists them. While the app is down
   * or locked the bridge answers from agent-tools.json instead
   * (shared/agent-tools-file.ts), which the core keeps.
   */
  'tools:list': {
    params: empty,
    result: z.object({ tools: z.array(bridgeToolSchema).max(1000) }).strict(),
  },
  /**
   * Runs one tool, as MCP tools/call. A tool that ran and failed answers a
   * result with isError; the request fails only when the tool could not be
   * reached. With the vault locked the core answers the error code
   * 'vault_locked' (the bridge tells the agent to unlock Custodian).
   */
  'tools:call': {
    params: z
      .object({
        name: z.string().min(1).max(128),
        arguments: z.record(z.string(), z.unknown()),
      })
      .strict(),
    result: z
      .object({
        content: z.array(z.object({ type: z.literal('text'), text: z.string() }).strict()),
        /** The same data as the text, for a tool with an outputSchema (MCP structuredContent). */
        structuredContent: z.record(z.string(), z.unknown()).optional(),
        isError: z.boolean().optional(),
      })
      .strict(),
  },

  // For the custodian CLI: the running core owns the vault, so the CLI asks it.
  'vault:lock': { params: empty, result: z.object({ vault: bridgeVaultStateSchema }).strict() },
  'credentials:list': {
    params: z
      .object({ query: z.string().max(200).optional(), type: z.string().max(64).optional() })
      .strict(),
    result: z
      .object({
        credentials: z.array(
          z
            .object({
              name: z.string(),
              type: z.string(),
              typeName: z.string(),
              description: z.string(),
              updatedAt: z.string(),
            })
            .strict(),
        ),
      })
      .strict(),
  },
  /**
   * Every credential type the core knows (built-in and from loaded plugins),
   * with its fields: the CLI takes a field inline only when its type says it
   * is not secret.
   */
  'credentialTypes:list': {
    params: empty,
    result: z
      .object({ types: z.array(credentialTypeSchema.and(z.object({ source: z.string() }))) })
      .strict(),
  },
  /** Secret values arrive here from a file or stdin, never from the CLI's command line. */
  'credentials:add': {
    params: z
      .object({
        type: z.string().min(1).max(64),
        name: z.string().min(1).max(CREDENTIAL_NAME_MAX),
        description: z.string().max(CREDENTIAL_DESCRIPTION_MAX).optional(),
        fields: z.record(
          z.string().max(64),
          z.union([z.string().max(FIELD_VALUE_MAX_LENGTH), z.boolean()]),
        ),
      })
      .strict(),
    // `inspection`: what the type's import found (shown as the window shows it after a save).
    result: z
      .object({ name: z.string(), type: z.string(), inspection: z.unknown().optional() })
      .strict(),
  },
  'credentials:remove': {
    params: z.object({ name: z.string().min(1).max(CREDENTIAL_NAME_MAX) }).strict(),
    result: z.object({ name: z.string() }).strict(),
  },
  /** Every tool with its mode (tools:list gives only what the agent may see). */
  'tools:policy': {
    params: empty,
    result: z.object({ tools: z.array(agentToolInfoSchema) }).strict(),
  },
  'tools:setMode': {
    params: setToolModeSchema,
    result: z.object({ tool: agentToolInfoSchema }).strict(),
  },
  /** `custodian audit list`: a page of matching entries, oldest first. */
  'audit:list': { params: auditListSchema, result: auditPageSchema.strict() },
  /** `custodian audit verify`: the chain's verdict. */
  'audit:verify': { params: empty, result: z.object({ verdict: auditVerifySchema }).strict() },

  // The plugin store, for authors and CI (`custodian plugin …`, `custodian catalog …`).
  'plugins:list': {
    params: empty,
    result: z
      .object({
        plugins: z.array(
          z
            .object({
              name: z.string(),
              version: z.string(),
              enabled: z.boolean(),
              status: z.enum(['loaded', 'disabled', 'error']),
              source: z.string(),
              development: z.boolean(),
              error: z.string().optional(),
            })
            .strict(),
        ),
      })
      .strict(),
  },
  /**
   * Installs (or updates to) an archive from a catalog, a local file or a URL.
   * Running the command is the operator's consent to the capabilities it
   * prints; an update that widens them needs acceptChanges as well.
   */
  'plugins:install': {
    params: z
      .object({
        source: installSourceSchema,
        allowUnsigned: z.boolean().default(false),
        allowDowngrade: z.boolean().default(false),
        acceptChanges: z.boolean().default(false),
      })
      .strict(),
    result: z.object({ plan: installPlanSchema.omit({ token: true }) }).strict(),
  },
  /** To the highest version the catalogs list; `updated: false` when already there. */
  'plugins:update': {
    params: z
      .object({
        name: pluginNameSchema,
        acceptChanges: z.boolean().default(false),
      })
      .strict(),
    result: z
      .object({
        updated: z.boolean(),
        name: z.string(),
        from: z.string(),
        to: z.string(),
        plan: installPlanSchema.omit({ token: true }).nullable(),
      })
      .strict(),
  },
  'plugins:remove': {
    params: z.object({ name: pluginNameSchema }).strict(),
    result: z.object({ name: z.string() }).strict(),
  },
  'catalogs:list': {
    params: empty,
    result: z.object({ catalogs: z.array(catalogSourceInfoSchema) }).strict(),
  },
  'catalogs:add': {
    params: z
      .object({ url: z.string().min(1).max(2000), publicKey: z.string().min(1).max(200) })
      .strict(),
    result: z.object({ catalog: catalogSourceInfoSchema }).strict(),
  },
  'catalogs:remove': {
    params: z.object({ id: z.string().min(1).max(64) }).strict(),
    result: z.object({ id: z.string() }).strict(),
  },
  /** One source, or every remote one. */
  'catalogs:refresh': {
    params: z.object({ id: z.string().min(1).max(64).optional() }).strict(),
    result: z.object({ results: z.array(refreshResultSchema) }).strict(),
  },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;

export type BridgeMethod = keyof typeof bridgeMethods;
/** What a caller passes (before defaults). */
export type BridgeParams<M extends BridgeMethod> = z.input<(typeof bridgeMethods)[M]['params']>;
/** What a handler receives, validated. */
export type BridgeParsedParams<M extends BridgeMethod> = z.output<
  (typeof bridgeMethods)[M]['params']
>;
export type BridgeResult<M extends BridgeMethod> = z.output<(typeof bridgeMethods)[M]['result']>;

/** Events the server pushes to every authenticated client. */
export const bridgeEvents = {
  /** The set of enabled tools changed: the bridge re-lists them. */
  'tools:changed': z.object({}),
  'vault:changed': z.object({ vault: bridgeVaultStateSchema }),
  /**
   * Sent to one connection only: how many of its calls wait for the person
   * now. The bridge keeps a client that sent a progress token hearing
   * "waiting for approval in Custodian" meanwhile.
   */
  'approvals:waiting': z.object({ waiting: z.number().int().min(0) }).strict(),
} as const satisfies Record<string, z.ZodType>;

export type BridgeEvent = keyof typeof bridgeEvents;
export type BridgeEventData<E extends BridgeEvent> = z.output<(typeof bridgeEvents)[E]>;

export function isBridgeMethod(name: string): name is BridgeMethod {
  return Object.hasOwn(bridgeMethods, name);
}

export function isBridgeEvent(name: string): name is BridgeEvent {
  return Object.hasOwn(bridgeEvents, name);
}
