import { describe, expect, it } from 'vitest';
import { AutoLock, type AutoLockClock } from '../../../electron/core/auto-lock';
import { CoreEvents } from '../../../electron/core/events';
import { wireAutoLock } from '../../../electron/main/app/auto-lock-wiring';
import type { VaultStatus } from '../../../shared/vault-status';

/** A clock the test moves by hand; interval callbacks run when time passes them. */
class FakeClock implements AutoLockClock {
  time = 1_000_000;
  private timers = new Map<number, { fn: () => void; ms: number; next: number }>();
  private nextId = 1;

  now = () => this.time;
  setInterval = (fn: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.set(id, { fn, ms, next: this.time + ms });
    return id;
  };
  clearInterval = (handle: unknown) => {
    this.timers.delete(handle as number);
  };
  get active(): number {
    return this.timers.size;
  }
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers.values()]
        .filter((t) => t.next <= end)
        .sort((a, b) => a.next - b.next)[0];
      if (!due) break;
      this.time = due.next;
      due.next += due.ms;
      due.fn();
    }
    this.time = end;
  }
}

const MINUTE = 60_000;

function setup() {
  const clock = new FakeClock();
  const locks: string[] = [];
  const autoLock = new AutoLock((reason) => locks.push(reason), clock, 1000);
  return { clock, locks, autoLock };
}

describe('AutoLock', () => {
  it('locks once idle past the limit, not before', () => {
    const { clock, locks, autoLock } = setup();
    autoLock.setIdleMinutes(5);
    clock.advance(5 * MINUTE - 2000);
    expect(locks).toEqual([]);
    clock.advance(2000);
    expect(locks).toEqual(['idle']);
  });

  it('starts counting again after activity', () => {
    const { clock, locks, autoLock } = setup();
    autoLock.setIdleMinutes(5);
    clock.advance(4 * MINUTE);
    autoLock.activity();
    clock.advance(4 * MINUTE);
    expect(locks).toEqual([]);
    clock.advance(1 * MINUTE);
    expect(locks).toEqual(['idle']);
  });

  it('does not lock on idle when set to 0, and stops its timer', () => {
    const { clock, locks, autoLock } = setup();
    autoLock.setIdleMinutes(5);
    autoLock.setIdleMinutes(0);
    expect(clock.active).toBe(0);
    clock.advance(24 * 60 * MINUTE);
    expect(locks).toEqual([]);
  });

  it('locks on suspend and on screen lock, even with idle locking off', () => {
    const { locks, autoLock } = setup();
    autoLock.setIdleMinutes(0);
    autoLock.suspend();
    autoLock.screenLocked();
    expect(locks).toEqual(['suspend', 'screen-lock']);
  });

  it('keeps one timer when the limit changes', () => {
    const { clock, autoLock } = setup();
    autoLock.setIdleMinutes(5);
    autoLock.setIdleMinutes(10);
    autoLock.setIdleMinutes(1);
    expect(clock.active).toBe(1);
    autoLock.dispose();
    expect(clock.active).toBe(0);
  });
});

describe('wireAutoLock', () => {
  const status = (autoLockMinutes: number): VaultStatus => ({
    state: 'unlocked',
    keychain: 'enrolled',
    autoLockMinutes,
  });

  function wire(minutes: number, unlocked = true) {
    const clock = new FakeClock();
    const events = new CoreEvents();
    const state = { unlocked, locks: 0 };
    const wiring = wireAutoLock({
      settings: { get: async () => ({ autoLockMinutes: minutes }) },
      events,
      isUnlocked: () => state.unlocked,
      lock: async () => {
        state.locks += 1;
        state.unlocked = false;
      },
      clock,
    });
    return { clock, events, state, wiring };
  }

  it('takes the idle limit from the settings', async () => {
    const { clock, state, wiring } = wire(2);
    await wiring.ready;
    clock.advance(2 * MINUTE + 15_000);
    expect(state.locks).toBe(1);
  });

  it("follows the limit carried by 'vault:changed'", async () => {
    const { clock, events, state, wiring } = wire(2);
    await wiring.ready;
    events.emit('vault:changed', status(0));
    clock.advance(60 * MINUTE);
    expect(state.locks).toBe(0);
    // Turning the limit back on is a settings:update call, which is activity.
    wiring.activity();
    events.emit('vault:changed', status(10));
    clock.advance(9 * MINUTE);
    expect(state.locks).toBe(0);
    clock.advance(1 * MINUTE + 15_000);
    expect(state.locks).toBe(1);
  });

  it('postpones the lock on activity', async () => {
    const { clock, state, wiring } = wire(2);
    await wiring.ready;
    clock.advance(90_000);
    wiring.activity();
    clock.advance(90_000);
    expect(state.locks).toBe(0);
  });

  it('locks on suspend and screen lock only when there is something to lock', async () => {
    const { state, wiring } = wire(5);
    await wiring.ready;
    wiring.suspend();
    expect(state.locks).toBe(1);
    wiring.screenLocked();
    expect(state.locks).toBe(1); // already locked: not locked again
    state.unlocked = true;
    wiring.screenLocked();
    expect(state.locks).toBe(2);
  });

  it('stops listening when disposed', async () => {
    const { clock, events, state, wiring } = wire(1);
    await wiring.ready;
    wiring.dispose();
    events.emit('vault:changed', status(1));
    clock.advance(10 * MINUTE);
    expect(state.locks).toBe(0);
    expect(clock.active).toBe(0);
  });
});
