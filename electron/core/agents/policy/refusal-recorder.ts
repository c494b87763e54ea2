import type { AuditEntryInput } from '../../audit';

// Refused calls (an unknown tool, a rate limit, a tool that is off or not
// allowed headless) cost an agent nothing, so a flood of them must not cost
// the audit log its history. Per client, the first refusal of each kind in a
// window is written as usual; the rest of the burst is counted and written as
// one entry with the count and the time range when the window ends. A client
// that varies the tool names, and agents that vary their client name, run
// into caps that fold the overflow into one entry per client, then one for all.

export interface RefusalRecorderOptions {
  /** Writes one entry (the audit log's append). */
  write(entry: AuditEntryInput): Promise<void>;
  now(): Date;
  /** How long a burst is gathered before its count is written. */
  windowMs?: number;
  /** Kinds of refusal written separately per client and window; the rest fold into one. */
  perClient?: number;
  /** Kinds written separately over all clients (client names are the agents' own). */
  total?: number;
  /** Runs `fn` after `ms`; returns a cancel. Tests pass their own to drive time. */
  schedule?: (fn: () => void, ms: number) => () => void;
}

export const REFUSAL_WINDOW_MS = 60_000;
const PER_CLIENT = 8;
const TOTAL = 200;
/** The tool named by an entry that folds refusals of several tools. */
export const VARIOUS_TOOLS = '(various tools)';
/** The client named by an entry that folds refusals of several clients. */
export const VARIOUS_CLIENTS = '(various clients)';

interface Burst {
  /** The entry the burst's first refusal wrote, as the template for its count. */
  first: AuditEntryInput;
  endsAt: number;
  /** Refusals after the first, not written yet. */
  count: number;
  from: Date | undefined;
  until: Date | undefined;
}

export class RefusalRecorder {
  private readonly bursts = new Map<string, Burst>();
  private readonly windowMs: number;
  private readonly perClient: number;
  private readonly total: number;
  private readonly schedule: (fn: () => void, ms: number) => () => void;
  private cancelTimer: (() => void) | undefined;

  constructor(private readonly options: RefusalRecorderOptions) {
    this.windowMs = options.windowMs ?? REFUSAL_WINDOW_MS;
    this.perClient = options.perClient ?? PER_CLIENT;
    this.total = options.total ?? TOTAL;
    this.schedule =
      options.schedule ??
      ((fn, ms) => {
        const timer = setTimeout(fn, ms);
        timer.unref();
        return () => clearTimeout(timer);
      });
  }

  /** One refused call: written now when it starts a burst, else counted. */
  async record(entry: AuditEntryInput): Promise<void> {
    const now = this.options.now();
    const ended = this.takeEnded(now.getTime());
    const key = this.keyFor(entry);
    const burst = this.bursts.get(key.id);
    const writes = ended.map((b) => this.write(this.countEntry(b)));
    if (burst) {
      burst.count++;
      burst.from ??= now;
      burst.until = now;
    } else {
      const first = { ...entry, ...key.names };
      this.bursts.set(key.id, {
        first,
        endsAt: now.getTime() + this.windowMs,
        count: 0,
        from: undefined,
        until: undefined,
      });
      this.arm();
      writes.push(this.write(first));
    }
    await Promise.all(writes);
  }

  /** Writes every burst's count now (before lock and close). */
  async flush(): Promise<void> {
    const all = [...this.bursts.values()];
    this.bursts.clear();
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    await Promise.all(all.filter((b) => b.count > 0).map((b) => this.write(this.countEntry(b))));
  }

  /** Which burst a refusal joins, and the names it is written under when folded. */
  private keyFor(entry: AuditEntryInput): { id: string; names: Partial<AuditEntryInput> } {
    const kind = `${entry.outcome}\u0000${entry.decision ?? ''}\u0000${entry.detail ?? ''}`;
    const exact = `${entry.client}\u0000${entry.tool}\u0000${kind}`;
    if (this.bursts.has(exact)) return { id: exact, names: {} };
    const folded = { tool: VARIOUS_TOOLS, credential: null };
    const perClientId = `${entry.client}\u0000${VARIOUS_TOOLS}\u0000${kind}`;
    if (this.bursts.size >= this.total) {
      return {
        id: `${VARIOUS_CLIENTS}\u0000${kind}`,
        names: { ...folded, client: VARIOUS_CLIENTS },
      };
    }
    let ofClient = 0;
    for (const id of this.bursts.keys()) if (id.startsWith(`${entry.client}\u0000`)) ofClient++;
    if (ofClient >= this.perClient) return { id: perClientId, names: folded };
    return { id: exact, names: {} };
  }

  private takeEnded(now: number): Burst[] {
    const ended: Burst[] = [];
    for (const [id, burst] of this.bursts) {
      if (burst.endsAt > now) continue;
      this.bursts.delete(id);
      if (burst.count > 0) ended.push(burst);
    }
    return ended;
  }

  private arm(): void {
    if (this.cancelTimer) return;
    this.cancelTimer = this.schedule(() => {
      this.cancelTimer = undefined;
      const ended = this.takeEnded(this.options.now().getTime());
      for (const burst of ended) void this.write(this.countEntry(burst));
      if (this.bursts.size > 0) this.arm();
    }, this.windowMs);
  }

  private countEntry(burst: Burst): AuditEntryInput {
    const from = (burst.from ?? new Date(0)).toISOString();
    const until = (burst.until ?? new Date(0)).toISOString();
    return {
      ...burst.first,
      payload: { refusals: burst.count },
      detail: `${burst.count} more like this from ${from} to ${until}${burst.first.detail ? ` (${burst.first.detail})` : ''}`,
      coalesced: { count: burst.count, from, until },
    };
  }

  /** The log's failures are the caller's to report; a burst is never thrown at the agent. */
  private write(entry: AuditEntryInput): Promise<void> {
    return this.options.write(entry);
  }
}
