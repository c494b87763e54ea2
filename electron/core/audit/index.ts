export { AuditLog, AUDIT_SELF, DEFAULT_MAX_FILE_BYTES, type AuditLogOptions } from './audit-log';
export { vaultKeyring, type AuditKeyring } from './audit-keyring';
export { DEFAULT_RETENTION } from './audit-retention';
export {
  AUDIT_DECISIONS,
  AUDIT_OUTCOMES,
  AUDIT_TEXT_LIMITS,
  type AuditDecision,
  type AuditEntryInput,
  type AuditOutcome,
  type AuditRecord,
} from './audit-entry';
export { GENESIS_PREV, type AuditTrust, type AuditVerifyResult } from './audit-chain';
export { auditQuerySchema, AUDIT_QUERY_MAX, type AuditQuery } from './audit-query';
export { canonicalJson } from './canonical-json';
export type { AuditFileSystem } from './audit-files';
