import { clientLabelIs } from '../../../shared/agent-words';
import type { AuditQueryParsed } from '../../../shared/agents';
import type { AuditLine, AuditRecord } from './audit-entry';

// The Activity view's filters are part of the IPC contract, so they live in shared/.
export { auditQuerySchema, type AuditQuery, type AuditQueryParsed } from '../../../shared/agents';
export { AUDIT_QUERY_MAX } from '../../../shared/agent-words';

export function matchesQuery(
  line: AuditLine,
  query: Pick<AuditQueryParsed, 'tool' | 'client' | 'since'> & Partial<AuditQueryParsed>,
): boolean {
  if (query.tool !== undefined && line.tool !== query.tool) return false;
  // `--client claude-ai` finds it on every connection; a full label finds one.
  if (query.client !== undefined && !clientLabelIs(line.client, query.client)) return false;
  if (query.outcome !== undefined && line.outcome !== query.outcome) return false;
  if (query.since !== undefined && Date.parse(line.time) < Date.parse(query.since)) return false;
  return true;
}

/** The entry without its chain links; listed field by field so a new field is shown only by choice. */
export function toRecord(line: Omit<AuditLine, 'hash' | 'mac'>): AuditRecord {
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
    ...(line.coalesced ? { coalesced: line.coalesced } : {}),
    ...(line.event ? { event: line.event } : {}),
  };
}
