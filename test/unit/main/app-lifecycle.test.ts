import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { createQuitGuard } from '../../../electron/main/app/quit-guard';
import {
  claimSingleInstance,
  type SingleInstanceApp,
} from '../../../electron/main/app/single-instance';
import { focusWindow, type FocusableWindow } from '../../../electron/main/window/focus-window';
import { eventually } from '../../support/eventually';

function fakeApp(gotLock: boolean) {
  const emitter = new EventEmitter();
  const app = {
    requestSingleInstanceLock: () => gotLock,
    on: (event: string, listener: () => void) => emitter.on(event, listener),
  } as unknown as SingleInstanceApp;
  return { app, emitter };
}

describe('claimSingleInstance', () => {
  it('tells the first instance when a second one starts', () => {
    const { app, emitter } = fakeApp(true);
    const onSecond = vi.fn();
    expect(claimSingleInstance(app, onSecond)).toBe(true);
    emitter.emit('second-instance', {}, ['custodian'], '/');
    expect(onSecond).toHaveBeenCalledTimes(1);
  });

  it('answers false in the second instance and listens to nothing', () => {
    const { app, emitter } = fakeApp(false);
    expect(claimSingleInstance(app, vi.fn())).toBe(false);
    expect(emitter.listenerCount('second-instance')).toBe(0);
  });
});

describe('focusWindow', () => {
  const window = (minimized: boolean, destroyed = false) => {
    const calls: string[] = [];
    const w: FocusableWindow = {
      isDestroyed: () => destroyed,
      isMinimized: () => minimized,
      restore: () => void calls.push('restore'),
      show: () => void calls.push('show'),
      focus: () => void calls.push('focus'),
    };
    return { w, calls };
  };

  it('restores a minimized window, shows and focuses it', () => {
    const { w, calls } = window(true);
    expect(focusWindow(w)).toBe(true);
    expect(calls).toEqual(['restore', 'show', 'focus']);
  });

  it('answers false when there is no window to focus', () => {
    expect(focusWindow(null)).toBe(false);
    const { w, calls } = window(false, true);
    expect(focusWindow(w)).toBe(false);
    expect(calls).toEqual([]);
  });
});

describe('createQuitGuard', () => {
  const event = () => {
    const e = { prevented: false, preventDefault: () => void (e.prevented = true) };
    return e;
  };

  it('holds the quit while unlocked, locks, then quits once', async () => {
    const order: string[] = [];
    let unlocked = true;
    const quit = vi.fn(() => order.push('quit'));
    const guard = createQuitGuard({
      isUnlocked: () => unlocked,
      lock: async () => {
        order.push('lock');
        unlocked = false;
      },
      quit,
    });
    const first = event();
    guard(first);
    expect(first.prevented).toBe(true);
    await eventually(() => expect(quit).toHaveBeenCalledTimes(1), { message: 'the quit' });
    expect(order).toEqual(['lock', 'quit']);
    // The second before-quit (from quit()) goes through.
    const second = event();
    guard(second);
    expect(second.prevented).toBe(false);
  });

  it('does not hold the quit when the vault is already locked', () => {
    const lock = vi.fn(async () => {});
    const guard = createQuitGuard({ isUnlocked: () => false, lock, quit: vi.fn() });
    const e = event();
    guard(e);
    expect(e.prevented).toBe(false);
    expect(lock).not.toHaveBeenCalled();
  });

  it('quits anyway when the lock fails or hangs', async () => {
    const failing = vi.fn();
    createQuitGuard({
      isUnlocked: () => true,
      lock: () => Promise.reject(new Error('x')),
      quit: failing,
    })(event());
    await eventually(() => expect(failing).toHaveBeenCalledTimes(1), { message: 'the quit' });

    const hanging = vi.fn();
    const guard = createQuitGuard({
      isUnlocked: () => true,
      lock: () => new Promise(() => {}),
      quit: hanging,
      timeoutMs: 20,
    });
    guard(event());
    await eventually(() => expect(hanging).toHaveBeenCalledTimes(1), { message: 'the quit' });
    // Still unlocked, but the guard runs once: the next before-quit is not held.
    const again = event();
    guard(again);
    expect(again.prevented).toBe(false);
  });
});
