import type { AuditDecision, AuditOutcome } from '../../../shared/agent-words';

// The audit log's words as the person reads them.

export const OUTCOME_LABEL: Record<AuditOutcome, string> = {
  allowed: 'Allowed',
  denied: 'Denied',
  approved: 'Approved',
  timed_out: 'Timed out',
  succeeded: 'Succeeded',
  failed: 'Failed',
  rate_limited: 'Rate limited',
  cancelled: 'Cancelled',
};

/** Colour follows meaning, and the word is always there too, so colour is never the only sign. */
export const OUTCOME_TONE: Record<AuditOutcome, 'ok' | 'bad' | 'neutral'> = {
  allowed: 'ok',
  approved: 'ok',
  succeeded: 'ok',
  denied: 'bad',
  timed_out: 'bad',
  failed: 'bad',
  rate_limited: 'bad',
  cancelled: 'neutral',
};

export const DECISION_LABEL: Record<AuditDecision, string> = {
  policy: 'by the tool’s mode',
  person: 'by you',
  standing_grant: 'by a 10-minute approval',
  headless: 'by headless rules',
};
