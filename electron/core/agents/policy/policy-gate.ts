import type { ApprovalBroker, ApprovalOutcome } from './approvals';
import type { RateLimiter } from './rate-limiter';
import type { PolicyTool, ToolPolicyStore } from './tool-policy';

// The one question asked before every tool call: may it run? Policy first (an
// off tool never runs), then the rate limit (a runaway agent must not flood
// the person with dialogs, even under a standing grant), then allow, a
// standing grant, the headless list, and last the person.

export interface ToolCallRequest {
  /** The connection the call came on: what a standing grant is bound to. */
  connection: string;
  /** What the client calls itself, shown to the person. */
  client: string;
  tool: PolicyTool;
  /** The credential's name; null for a tool that uses none. */
  credential: string | null;
  /** The exact payload the person would approve. */
  summary: string;
  payloadHash: string;
  /** Fires when the agent withdraws the call: a waiting approval is cancelled. */
  signal?: AbortSignal;
}

/** Who or what settled the call. */
export type GateDecision = 'policy' | 'rate_limit' | 'standing_grant' | 'headless' | 'person';
/** What they settled on; the audit log records it with the decision. */
export type GateOutcome = 'allow' | 'off' | 'rate_limited' | 'granted' | ApprovalOutcome;

export type GateResult =
  | { allowed: true; decision: GateDecision; outcome: GateOutcome }
  | {
      allowed: false;
      decision: GateDecision;
      outcome: GateOutcome;
      /** For the agent: what happened and what the person can do. */
      message: string;
      /** Set when the rate limit refused: when a call could go through. */
      retryAfterMs?: number;
    };

export const TOOL_OFF_MESSAGE = 'the tool is turned off in Custodian';

export interface PolicyGateOptions {
  policy: ToolPolicyStore;
  broker: ApprovalBroker;
  rateLimiter?: RateLimiter;
}

export class PolicyGate {
  constructor(private readonly options: PolicyGateOptions) {}

  async decide(call: ToolCallRequest): Promise<GateResult> {
    const { policy, broker, rateLimiter } = this.options;
    const name = call.tool.name;
    const mode = await policy.get(call.tool);
    if (mode === 'off') {
      return refuse('policy', 'off', `${name}: ${TOOL_OFF_MESSAGE}; turn it on from the tray.`);
    }

    const taken = rateLimiter?.take(name);
    if (taken && !taken.ok) {
      return {
        allowed: false,
        decision: 'rate_limit',
        outcome: 'rate_limited',
        message: taken.message,
        retryAfterMs: taken.retryAfterMs,
      };
    }

    if (mode === 'allow') return { allowed: true, decision: 'policy', outcome: 'allow' };

    const scope = {
      connection: call.connection,
      client: call.client,
      tool: name,
      credential: call.credential,
    };
    if (broker.hasGrant(scope)) {
      return { allowed: true, decision: 'standing_grant', outcome: 'granted' };
    }

    if (broker.headless) {
      return broker.headlessAllows(name)
        ? { allowed: true, decision: 'headless', outcome: 'allow' }
        : refuse(
            'headless',
            'deny',
            `${name} needs the person's approval, and Custodian runs without a window; ` +
              `start it with serve --allow-tools ${name} to let it through.`,
          );
    }

    const outcome = await broker.request(
      { ...scope, summary: call.summary, payloadHash: call.payloadHash },
      call.signal,
    );
    if (outcome === 'once' || outcome === 'ten_minutes') {
      return { allowed: true, decision: 'person', outcome };
    }
    const reason = withdrawnByAgent(outcome, call.signal) ? 'withdrawn' : outcome;
    return refuse('person', outcome, personRefusal(name, reason, broker.timeoutMs));
  }
}

/** Cancelled with its signal fired: the agent withdrew the call (a lock fires no signal). */
export function withdrawnByAgent(outcome: GateOutcome, signal?: AbortSignal): boolean {
  return outcome === 'cancelled' && signal?.aborted === true;
}

function refuse(decision: GateDecision, outcome: GateOutcome, message: string): GateResult {
  return { allowed: false, decision, outcome, message };
}

function personRefusal(
  tool: string,
  reason: 'deny' | 'timed_out' | 'cancelled' | 'withdrawn',
  timeoutMs: number,
): string {
  switch (reason) {
    case 'deny':
      return `The person denied this ${tool} call in Custodian.`;
    case 'timed_out':
      return `Nobody answered the approval for this ${tool} call in Custodian within ${Math.round(timeoutMs / 1000)} s, so it was denied.`;
    case 'cancelled':
      return `The approval for this ${tool} call was cancelled because Custodian was locked; unlock Custodian and try again.`;
    case 'withdrawn':
      return `The agent withdrew this ${tool} call before the person answered in Custodian.`;
  }
}
