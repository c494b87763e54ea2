// Words about agents that the renderer needs at run time, kept free of zod
// (see limits.ts for why): tool modes, approval answers, audit outcomes.

export const TOOL_MODES = ['off', 'ask', 'allow'] as const;
export type ToolMode = (typeof TOOL_MODES)[number];

export const APPROVAL_DECISIONS = ['deny', 'once', 'ten_minutes'] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

/**
 * What the person is asked: an agent's tool call, or the command line's admin
 * channel (a session to manage Custodian, or one change that weakens
 * protection). Admin questions are answered Allow ('once') or Deny only.
 */
export const APPROVAL_KINDS = ['tool_call', 'admin'] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];

/** Who asks an admin question, as the window and the audit log name it. */
export const ADMIN_ASKER = 'custodian command line';

export const AUDIT_OUTCOMES = [
  'allowed',
  'denied',
  'approved',
  'timed_out',
  'succeeded',
  'failed',
  'rate_limited',
  'cancelled',
] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** Who decided: a tool's policy, the person in a dialog, a standing grant, or headless rules. */
export const AUDIT_DECISIONS = ['policy', 'person', 'standing_grant', 'headless'] as const;
export type AuditDecision = (typeof AUDIT_DECISIONS)[number];

/** Longest audit query answer. */
export const AUDIT_QUERY_MAX = 1000;

/**
 * How the audit log names a client on the socket: what it calls itself (which
 * proves nothing) and the connection the socket layer numbered.
 */
export function connectionLabel(name: string, connection: string): string {
  return `${name} (connection ${connection})`;
}

/** True when an audit entry's client is `name`: itself, or that name on any connection. */
export function clientLabelIs(label: string, name: string): boolean {
  return label === name || (label.startsWith(`${name} (connection `) && label.endsWith(')'));
}
