import { monotonicMs } from './clock';

// Locks the vault after a stretch without activity. The composition root feeds
// it activity and the OS's suspend and screen-lock events; time is passed in
// so tests need no fake timers.

export interface AutoLockClock {
  now(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

// Idle time on the monotonic clock: a wall clock set forward does not lock, set back does not delay.
const systemClock: AutoLockClock = {
  now: monotonicMs,
  setInterval: (fn, ms) => {
    const handle = setInterval(fn, ms);
    handle.unref?.();
    return handle;
  },
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

export class AutoLock {
  private lastActivity: number;
  private timer: unknown;
  private minutes = 0;

  constructor(
    private readonly lock: (reason: 'idle' | 'suspend' | 'screen-lock') => void,
    private readonly clock: AutoLockClock = systemClock,
    private readonly checkEveryMs = 15_000,
  ) {
    this.lastActivity = clock.now();
  }

  /** 0 turns idle locking off; suspend and screen lock still lock. */
  setIdleMinutes(minutes: number): void {
    this.minutes = minutes;
    // Idle time before the limit was set does not count against it.
    this.lastActivity = this.clock.now();
    if (this.timer !== undefined) this.clock.clearInterval(this.timer);
    this.timer =
      minutes > 0 ? this.clock.setInterval(() => this.check(), this.checkEveryMs) : undefined;
  }

  activity(): void {
    this.lastActivity = this.clock.now();
  }

  check(): void {
    if (this.minutes > 0 && this.clock.now() - this.lastActivity >= this.minutes * 60_000) {
      this.lastActivity = this.clock.now();
      this.lock('idle');
    }
  }

  suspend(): void {
    this.lock('suspend');
  }

  screenLocked(): void {
    this.lock('screen-lock');
  }

  dispose(): void {
    if (this.timer !== undefined) this.clock.clearInterval(this.timer);
    this.timer = undefined;
  }
}
