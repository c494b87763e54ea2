import { monotonicMs } from '../../clock';
import { randomUUID } from 'node:crypto';
import type { ApprovalDecision, ApprovalKind } from '../../../../shared/agent-words';
import { approvalDecisionSchema } from '../../../../shared/agents';
import { CustodianError } from '../../../../shared/errors';

// Asks the person whether an agent may make one call. The window (later) shows
// each pending approval and answers it; this broker owns the waiting, the 60 s
// limit, the standing "allow for 10 minutes" grants, and what happens on lock.
// With no window (headless serve) nobody can answer, so only the tools the
// operator listed at start go through.

// The answers are the window's buttons too, so they are defined once in shared/.
export { APPROVAL_DECISIONS, type ApprovalDecision } from '../../../../shared/agent-words';
export { approvalDecisionSchema } from '../../../../shared/agents';
/** What became of a request: the person's answer, or why there was none. */
export type ApprovalOutcome = ApprovalDecision | 'timed_out' | 'cancelled';

export const DEFAULT_APPROVAL_TIMEOUT_MS = 60_000;
export const DEFAULT_GRANT_MS = 10 * 60_000;

/** Who wants to use what; a standing grant covers exactly this scope. */
export interface ApprovalScope {
  /**
   * The connection the call came on, as the socket layer identifies it: a
   * grant covers this connection only, so another connection claiming the
   * same name is asked again.
   */
  connection: string;
  /** What the MCP client calls itself (told at hello, not checked), e.g. "claude-ai": for display. */
  client: string;
  tool: string;
  /** The credential's name; null for a tool that uses none. */
  credential: string | null;
}

export interface ApprovalRequest extends ApprovalScope {
  /** A tool call (the default), or the command line's admin question: Allow or Deny only. */
  kind?: ApprovalKind;
  /** Admin questions: the question, as the dialog's title. */
  question?: string;
  /** The exact payload the person approves: the text to sign, the request line and host. */
  summary: string;
  /** Hash of the full payload, for the audit log; shown so an entry can be matched later. */
  payloadHash: string;
}

export interface PendingApproval extends ApprovalRequest {
  kind: ApprovalKind;
  id: string;
  requestedAt: number;
  /** When it turns into 'timed_out' if unanswered. */
  expiresAt: number;
}

/** How a shown approval left the window, for the window to say so. */
export interface Dismissal {
  approval: PendingApproval;
  /**
   * The agent withdrew the call (its signal fired) before anyone answered; a
   * lock, the limit or an answer is no withdrawal.
   */
  withdrawn: boolean;
}

export interface ApprovalClock {
  /** Monotonic milliseconds (core/clock.ts): grants expire on this. */
  now(): number;
  /** Wall milliseconds, only for the times the window shows (requestedAt, expiresAt). */
  wall?(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemClock: ApprovalClock = {
  now: monotonicMs,
  wall: () => Date.now(),
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    // A pending approval must not keep a headless process alive on its own.
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface ApprovalBrokerOptions {
  /**
   * Shows a pending approval to the person. Absent means headless: nobody can
   * answer, and only `allowTools` pass.
   */
  present?: (approval: PendingApproval) => void;
  /** Tells the window a shown approval is settled (answered, timed out or cancelled) so it can close. */
  dismiss?: (id: string, outcome: ApprovalOutcome, dismissal: Dismissal) => void;
  /** Headless only: ask-tools let through without asking (serve --allow-tools). */
  allowTools?: readonly string[];
  timeoutMs?: number;
  grantMs?: number;
  clock?: ApprovalClock;
  newId?: () => string;
  log?: (message: string) => void;
}

interface Waiting {
  approval: PendingApproval;
  timer: unknown;
  resolve: (outcome: ApprovalOutcome) => void;
}

export class ApprovalBroker {
  private readonly waiting = new Map<string, Waiting>();
  /** Scope key -> when the grant ends. */
  private readonly grants = new Map<string, number>();
  private readonly clock: ApprovalClock;
  /** How long a request waits for an answer. */
  readonly timeoutMs: number;
  /** How long "allow for 10 minutes" lasts. */
  readonly grantMs: number;
  private readonly allowTools: ReadonlySet<string>;

  constructor(private readonly options: ApprovalBrokerOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = positive(options.timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS, 'timeoutMs');
    this.grantMs = positive(options.grantMs ?? DEFAULT_GRANT_MS, 'grantMs');
    this.allowTools = new Set(options.allowTools ?? []);
  }

  /** No window to ask in: decisions come from `allowTools` alone. */
  get headless(): boolean {
    return this.options.present === undefined;
  }

  /** Headless: whether the operator let this tool through at start. */
  headlessAllows(tool: string): boolean {
    return this.allowTools.has(tool);
  }

  /**
   * Asks the person, and resolves with their answer, 'timed_out' after the
   * limit, or 'cancelled' on lock or when `signal` fires (the agent withdrew
   * the call: the approval leaves the window). Never rejects. Headless, it
   * answers at once: 'once' for a tool in `allowTools`, else 'deny'.
   */
  request(request: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalOutcome> {
    const { present } = this.options;
    const kind = request.kind ?? 'tool_call';
    // Headless, nobody answers an admin question: no tool list lets one through.
    if (!present)
      return Promise.resolve(
        kind === 'tool_call' && this.headlessAllows(request.tool) ? 'once' : 'deny',
      );
    if (signal?.aborted) return Promise.resolve('cancelled');

    // Shown to the person as wall time; the deadline itself is the timer below,
    // which runs on the monotonic clock whatever the wall clock does.
    const now = this.clock.wall?.() ?? this.clock.now();
    const approval: PendingApproval = {
      kind,
      ...(request.question !== undefined ? { question: request.question } : {}),
      connection: request.connection,
      client: request.client,
      tool: request.tool,
      credential: request.credential,
      summary: request.summary,
      payloadHash: request.payloadHash,
      id: (this.options.newId ?? randomUUID)(),
      requestedAt: now,
      expiresAt: now + this.timeoutMs,
    };
    return new Promise<ApprovalOutcome>((resolve) => {
      const timer = this.clock.setTimeout(
        () => this.settle(approval.id, 'timed_out'),
        this.timeoutMs,
      );
      const withdraw = () => this.settle(approval.id, 'cancelled', { withdrawn: true });
      signal?.addEventListener('abort', withdraw, { once: true });
      this.waiting.set(approval.id, {
        approval,
        timer,
        resolve: (outcome) => {
          signal?.removeEventListener('abort', withdraw);
          resolve(outcome);
        },
      });
      try {
        present(approval);
      } catch (error) {
        // Nobody saw it, so nobody can answer it; fail now rather than in 60 s.
        this.options.log?.(`Could not show approval for ${approval.tool}: ${describe(error)}`);
        this.settle(approval.id, 'cancelled');
      }
    });
  }

  /**
   * The person's answer to a shown approval. Returns false when it is no
   * longer pending (already answered, timed out or cancelled).
   */
  answer(id: string, decision: ApprovalDecision): boolean {
    const parsed = approvalDecisionSchema.safeParse(decision);
    if (!parsed.success) {
      throw new CustodianError(
        'invalid_request',
        `Unknown approval decision: ${String(decision)}.`,
      );
    }
    const entry = this.waiting.get(id);
    if (!entry) return false;
    // Every admin question is answered anew: a standing "yes" would be a session nobody sees.
    if (parsed.data === 'ten_minutes' && entry.approval.kind === 'admin')
      throw new CustodianError(
        'invalid_request',
        'A question of the command line is answered Allow or Deny, not for 10 minutes.',
      );
    if (parsed.data === 'ten_minutes') {
      this.grants.set(scopeKey(entry.approval), this.clock.now() + this.grantMs);
    }
    this.settle(id, parsed.data);
    return true;
  }

  /** Approvals waiting for the person, oldest first (for a window opened late). */
  pending(): PendingApproval[] {
    return [...this.waiting.values()].map((entry) => entry.approval);
  }

  /** Whether an unexpired "allow for 10 minutes" covers this connection, tool and credential. */
  hasGrant(scope: ApprovalScope): boolean {
    const key = scopeKey(scope);
    const until = this.grants.get(key);
    if (until === undefined) return false;
    if (this.clock.now() < until) return true;
    this.grants.delete(key);
    return false;
  }

  /** On lock: every pending approval resolves 'cancelled' and every standing grant ends. */
  cancelAll(): void {
    this.grants.clear();
    for (const id of [...this.waiting.keys()]) this.settle(id, 'cancelled');
  }

  private settle(id: string, outcome: ApprovalOutcome, { withdrawn = false } = {}): void {
    const entry = this.waiting.get(id);
    if (!entry) return;
    this.waiting.delete(id);
    this.clock.clearTimeout(entry.timer);
    entry.resolve(outcome);
    try {
      this.options.dismiss?.(id, outcome, { approval: entry.approval, withdrawn });
    } catch (error) {
      this.options.log?.(`Could not close approval ${id}: ${describe(error)}`);
    }
  }
}

function scopeKey(scope: ApprovalScope): string {
  // JSON keeps "a|b" + "c" apart from "a" + "b|c".
  return JSON.stringify([scope.connection, scope.client, scope.tool, scope.credential]);
}

function positive(ms: number, name: string): number {
  if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`${name} must be a positive number.`);
  return ms;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
