export {
  AuditLog,
  DEFAULT_KEEP_ROTATED,
  DEFAULT_MAX_FILE_BYTES,
  type AuditLogOptions,
} from './audit-log';
export {
  AUDIT_DECISIONS,
  AUDIT_OUTCOMES,
  AUDIT_TEXT_LIMITS,
  type AuditDecision,
  type AuditEntryInput,
  type AuditOutcome,
  type AuditRecord,
} from './audit-entry';
export { GENESIS_PREV, type AuditVerifyResult } from './audit-chain';
export { auditQuerySchema, AUDIT_QUERY_MAX, type AuditQuery } from './audit-query';
export { canonicalJson } from './canonical-json';
export type { AuditFileSystem } from './audit-files';
