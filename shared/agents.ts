import { z } from 'zod';
import {
  APPROVAL_DECISIONS,
  APPROVAL_KINDS,
  AUDIT_DECISIONS,
  AUDIT_OUTCOMES,
  AUDIT_QUERY_MAX,
  TOOL_MODES,
} from './agent-words';

// What the window sees of the agent side: tools and their policy, pending
// approvals, the audit log, connected clients, and the Claude Desktop link.
// None of it holds a secret; approvals show the payload the person decides on.

export const toolModeSchema = z.enum(TOOL_MODES);

export const agentToolInfoSchema = z.object({
  name: z.string(),
  description: z.string(),
  /** 'built-in', or the plugin the tool comes from. */
  source: z.string(),
  readOnly: z.boolean(),
  mode: toolModeSchema,
  defaultMode: toolModeSchema,
  /** True while the person never chose a mode for this tool. */
  isDefault: z.boolean(),
});
export type AgentToolInfo = z.infer<typeof agentToolInfoSchema>;

export const setToolModeSchema = z
  .object({ name: z.string().min(1).max(200), mode: toolModeSchema })
  .strict();

export const pendingApprovalSchema = z.object({
  id: z.string(),
  /** An agent's tool call, or a question of the command line's admin channel. */
  kind: z.enum(APPROVAL_KINDS),
  /** Admin questions: the question itself, the dialog's title. */
  question: z.string().optional(),
  /** The MCP client's name as its bridge reported it. */
  client: z.string(),
  tool: z.string(),
  credential: z.string().nullable(),
  /** The exact payload: the text to sign, the request line and host. */
  summary: z.string(),
  payloadHash: z.string(),
  requestedAt: z.number(),
  expiresAt: z.number(),
});
export type PendingApprovalInfo = z.infer<typeof pendingApprovalSchema>;

export const approvalDecisionSchema = z.enum(APPROVAL_DECISIONS);
export const answerApprovalSchema = z
  .object({ id: z.string().min(1).max(100), decision: approvalDecisionSchema })
  .strict();

export const auditOutcomeSchema = z.enum(AUDIT_OUTCOMES);
export const auditDecisionSchema = z.enum(AUDIT_DECISIONS);

/** The Activity view's filters. */
export const auditQuerySchema = z.strictObject({
  tool: z.string().max(200).optional(),
  client: z.string().max(200).optional(),
  outcome: auditOutcomeSchema.optional(),
  /** Only entries at or after this ISO time. */
  since: z.iso.datetime().optional(),
  limit: z.number().int().min(1).max(AUDIT_QUERY_MAX).default(100),
});
export type AuditQuery = z.input<typeof auditQuerySchema>;
export type AuditQueryParsed = z.output<typeof auditQuerySchema>;

/**
 * `custodian audit list`: every kept entry that matches, oldest first. The
 * answer comes a page at a time (a socket frame is bounded); the command line
 * follows `next` until the end, so the person sees all, not a page.
 */
export const auditListSchema = z.strictObject({
  tool: z.string().max(200).optional(),
  client: z.string().max(200).optional(),
  since: z.iso.datetime().optional(),
  /** Only entries after this seq: where the previous page ended. */
  after: z.number().int().nonnegative().optional(),
  max: z.number().int().min(1).max(AUDIT_QUERY_MAX).default(500),
});
export type AuditList = z.input<typeof auditListSchema>;
export type AuditListParsed = z.output<typeof auditListSchema>;

/** One audit entry as the Activity view shows it (without its chain links). */
export const auditRecordSchema = z.object({
  seq: z.number().int().nonnegative(),
  time: z.string(),
  client: z.string(),
  tool: z.string(),
  credential: z.string().nullable(),
  outcome: auditOutcomeSchema,
  decision: auditDecisionSchema.optional(),
  payloadHash: z.string(),
  detail: z.string().optional(),
  /** A burst of like refusals in one entry: how many, first and last. */
  coalesced: z.object({ count: z.number().int(), from: z.string(), until: z.string() }).optional(),
  /** An entry the log wrote about itself (rotated, reopened, keyed, lost). */
  event: z.string().optional(),
});
export type AuditRecordInfo = z.infer<typeof auditRecordSchema>;

export const auditPageSchema = z.object({
  entries: z.array(auditRecordSchema),
  /** The seq to pass as `after` for the next page; null at the end. */
  next: z.number().int().nullable(),
});

export const auditVerifySchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    entries: z.number().int(),
    firstSeq: z.number().int().nullable(),
    headMissing: z.boolean(),
  }),
  z.object({
    ok: z.literal(false),
    file: z.string(),
    line: z.number().int(),
    reason: z.string(),
    message: z.string(),
  }),
]);
export type AuditVerifyInfo = z.infer<typeof auditVerifySchema>;

export const agentClientSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  version: z.string(),
  connectedAt: z.string(),
});
export type AgentClientInfo = z.infer<typeof agentClientSchema>;

export const mcpServerEntrySchema = z.object({
  command: z.string(),
  args: z.array(z.string()),
  env: z.record(z.string(), z.string()).optional(),
});

export const agentConnectionSchema = z.object({
  claude: z.object({
    /**
     * unavailable: no Claude Desktop config location on this machine;
     * unreadable: the config exists but is not JSON we can merge into.
     */
    state: z.enum(['connected', 'outdated', 'not-connected', 'unavailable', 'unreadable']),
    path: z.string().nullable(),
    message: z.string().optional(),
  }),
  /** The `mcpServers` JSON to paste into other MCP clients. */
  snippet: z.string(),
  entry: mcpServerEntrySchema,
});
export type AgentConnectionInfo = z.infer<typeof agentConnectionSchema>;

export const connectResultSchema = z.object({
  status: z.enum(['connected', 'updated', 'already-connected']),
  path: z.string(),
  backup: z.string().optional(),
});
export type ConnectResultInfo = z.infer<typeof connectResultSchema>;
