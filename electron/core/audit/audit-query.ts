import { z } from 'zod';
import { AUDIT_OUTCOMES, type AuditLine, type AuditRecord } from './audit-entry';

// The Activity view's filters. The schema is here so the IPC handler can
// validate a request from the renderer with the same rules.

export const AUDIT_QUERY_MAX = 1000;

export const auditQuerySchema = z.strictObject({
  tool: z.string().optional(),
  client: z.string().optional(),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  /** Only entries at or after this ISO time. */
  since: z.iso.datetime().optional(),
  limit: z.number().int().min(1).max(AUDIT_QUERY_MAX).default(100),
});
export type AuditQuery = z.input<typeof auditQuerySchema>;
export type AuditQueryParsed = z.output<typeof auditQuerySchema>;

export function matchesQuery(line: AuditLine, query: AuditQueryParsed): boolean {
  if (query.tool !== undefined && line.tool !== query.tool) return false;
  if (query.client !== undefined && line.client !== query.client) return false;
  if (query.outcome !== undefined && line.outcome !== query.outcome) return false;
  if (query.since !== undefined && Date.parse(line.time) < Date.parse(query.since)) return false;
  return true;
}

/** The entry without its chain links; listed field by field so a new field is shown only by choice. */
export function toRecord(line: AuditLine): AuditRecord {
  return {
    seq: line.seq,
    time: line.time,
    client: line.client,
    tool: line.tool,
    credential: line.credential,
    outcome: line.outcome,
    ...(line.decision ? { decision: line.decision } : {}),
    payloadHash: line.payloadHash,
    ...(line.detail !== undefined ? { detail: line.detail } : {}),
  };
}
