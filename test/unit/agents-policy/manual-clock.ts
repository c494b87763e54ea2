import type { ApprovalClock } from '../../../electron/core/agents/policy/approvals';

/** A clock the test moves by hand; timeouts fire as time passes them, never by real waiting. */
export class ManualClock implements ApprovalClock {
  time = 1_000_000;
  private timers = new Map<number, { fn: () => void; at: number }>();
  private nextId = 1;

  now = (): number => this.time;
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = this.nextId++;
    this.timers.set(id, { fn, at: this.time + ms });
    return id;
  };
  clearTimeout = (handle: unknown): void => {
    this.timers.delete(handle as number);
  };

  get activeTimers(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers.entries()]
        .filter(([, t]) => t.at <= end)
        .sort(([, a], [, b]) => a.at - b.at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].fn();
    }
    this.time = end;
  }
}
