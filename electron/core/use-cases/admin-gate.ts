import { CustodianError } from '../../../shared/errors';
import { monotonicMs } from '../clock';
import type { AdminQuestion } from '../agents/agent-service';
import type { ApprovalOutcome } from '../agents/policy';
import type { Vault } from '../vault/vault';
import { requireUnlocked } from '../vault/require-unlocked';
import type { UseCaseName } from './create-use-cases';
import type { CallContext } from './use-case';
import { weakeningOf } from './weakening';

// Who lets the command line's admin channel change things. Holding the admin
// token is not enough where a person is at hand: any program running as this
// user can read that token. So, with a window, the command line's first
// request asks the person for a session (ended by a lock or 10 idle minutes),
// and every change that weakens protection (weakening.ts) is confirmed each
// time. Headless there is nobody to ask: the channel is closed unless the
// operator started `custodian serve --admin`, which opens it without asking.

/**
 * 'ask': a window is there to ask in. 'open': serve --admin, the token is
 * enough. 'closed': serve without --admin, every admin request is refused.
 */
export type AdminMode = 'ask' | 'open' | 'closed';

export const ADMIN_SESSION_IDLE_MS = 10 * 60_000;

export const ADMIN_CLOSED_MESSAGE =
  'The admin channel is closed: this core was started without --admin. Start it with ' +
  '`custodian serve --admin` (whoever can run commands as this user can then change ' +
  'everything), or use the Custodian window.';

export const SESSION_QUESTION = 'Allow the custodian command line to manage Custodian?';
export const CHANGE_QUESTION = 'Allow this change from the custodian command line?';
export const SESSION_SUBJECT = 'command line session';

// Node reads no peer credentials from a Unix socket (SO_PEERCRED) or a named
// pipe, so the core cannot tell which program connected: it says so rather
// than repeat what the client might claim about itself.
const NOT_TOLD = 'not told by the OS';

export interface AdminGateOptions {
  mode: AdminMode;
  /** Asks the person in the window and records their answer (AgentService.askAdmin). */
  ask: (question: AdminQuestion, signal?: AbortSignal) => Promise<ApprovalOutcome>;
  vault: Pick<Vault, 'state'>;
  /** Milliseconds on the monotonic clock (clock.ts); tests drive a fake one. */
  now?: () => number;
  idleMs?: number;
}

export class AdminGate {
  /** When the session was last used; undefined when there is none. */
  private lastUse: number | undefined;
  /** The session question while it is on screen: concurrent commands share its answer. */
  private asking: Promise<ApprovalOutcome> | undefined;
  private readonly now: () => number;
  private readonly idleMs: number;

  constructor(private readonly options: AdminGateOptions) {
    this.now = options.now ?? monotonicMs;
    this.idleMs = options.idleMs ?? ADMIN_SESSION_IDLE_MS;
  }

  get mode(): AdminMode {
    return this.options.mode;
  }

  /** Whether an allowed session is open now. */
  get sessionOpen(): boolean {
    return this.lastUse !== undefined && this.now() - this.lastUse < this.idleMs;
  }

  /** On lock: the session ends; the next request asks again. */
  endSession(): void {
    this.lastUse = undefined;
  }

  /**
   * Lets one admin-channel request through or throws why not. `input` is the
   * use case's parsed input, so the weakening described is what will run.
   */
  async admit(name: UseCaseName, input: unknown, context: CallContext): Promise<void> {
    const { mode } = this.options;
    if (mode === 'open') return;
    if (mode === 'closed') throw new CustodianError('forbidden', ADMIN_CLOSED_MESSAGE);
    // The person answers in the window, which shows questions only while unlocked.
    await requireUnlocked(this.options.vault);
    const connection = context.connection ?? 'unknown';
    const clientName = context.client?.name ?? 'unknown';
    if (!this.sessionOpen) {
      this.lastUse = undefined;
      this.asking ??= this.options
        .ask(
          {
            connection,
            clientName,
            question: SESSION_QUESTION,
            subject: SESSION_SUBJECT,
            summary: sessionSummary(name),
            detail: `first request: ${name}`,
          },
          context.signal,
        )
        .finally(() => (this.asking = undefined));
      const outcome = await this.asking;
      if (outcome !== 'once')
        throw refusal(outcome, 'did not allow the command line to manage Custodian');
    }
    this.lastUse = this.now();
    const weakens = weakeningOf(name, input);
    if (weakens === null) return;
    const outcome = await this.options.ask(
      {
        connection,
        clientName,
        question: CHANGE_QUESTION,
        subject: `weakening change (${name})`,
        summary: weakens.what,
        detail: weakens.short,
      },
      context.signal,
    );
    if (outcome !== 'once') throw refusal(outcome, `did not allow this change: ${weakens.what}`);
    this.lastUse = this.now();
  }
}

function sessionSummary(first: UseCaseName): string {
  return [
    'The custodian command line asks to manage Custodian until it locks or the command line',
    'is idle for 10 minutes: list and change credentials, tool modes, plugins and catalogs,',
    'read the audit log, lock. Changes that weaken protection are still asked about each time.',
    '',
    `Program: ${NOT_TOLD}`,
    `PID: ${NOT_TOLD}`,
    `First request: ${first}`,
  ].join('\n');
}

function refusal(outcome: ApprovalOutcome, what: string): CustodianError {
  switch (outcome) {
    case 'timed_out':
      return new CustodianError(
        'forbidden',
        'Nobody answered the question in the Custodian window in time, so it was refused.',
      );
    case 'cancelled':
      return new CustodianError(
        'cancelled',
        'The question in the Custodian window was withdrawn (Custodian locked, or the command stopped).',
      );
    default:
      return new CustodianError(
        'forbidden',
        `The person in the Custodian window ${what.replace(/\.$/, '')}.`,
      );
  }
}
