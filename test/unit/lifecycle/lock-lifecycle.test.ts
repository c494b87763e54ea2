import { describe, expect, it } from 'vitest';
import { LockLifecycle } from '../../../electron/core/lifecycle/lock-lifecycle';

/** A lifecycle whose participants and vault write what they were told into one log. */
function recording(names: string[]) {
  const log: string[] = [];
  const lifecycle = new LockLifecycle({
    lockVault: async () => {
      await Promise.resolve();
      log.push('vault locked');
    },
  });
  for (const name of names)
    lifecycle.register({
      name,
      unlocked: async () => void log.push(`${name} unlocked`),
      locking: async () => {
        await Promise.resolve();
        log.push(`${name} locking`);
      },
      shutdown: () => void log.push(`${name} shutdown`),
    });
  return { lifecycle, log };
}

describe('LockLifecycle', () => {
  it('opens the vault, then tells participants in order of registration', async () => {
    const { lifecycle, log } = recording(['plugins', 'watcher', 'approvals']);
    const opened = await lifecycle.unlock(async () => {
      log.push('vault opened');
      return 'keys';
    });
    expect(opened).toBe('keys');
    expect(log).toEqual([
      'vault opened',
      'plugins unlocked',
      'watcher unlocked',
      'approvals unlocked',
    ]);
  });

  it('on lock tells each participant once, newest first, then locks the vault', async () => {
    const { lifecycle, log } = recording(['plugins', 'watcher', 'approvals']);
    await Promise.all([lifecycle.lock(), lifecycle.lock()]);
    expect(log).toEqual([
      'approvals locking',
      'watcher locking',
      'plugins locking',
      'vault locked',
    ]);
  });

  it('close is one lock and then the shutdown steps, newest first; a second close does nothing more', async () => {
    const { lifecycle, log } = recording(['host', 'plugins', 'socket']);
    await Promise.all([lifecycle.close(), lifecycle.lock(), lifecycle.close()]);
    await lifecycle.close();
    expect(log).toEqual([
      'socket locking',
      'plugins locking',
      'host locking',
      'vault locked',
      'socket shutdown',
      'plugins shutdown',
      'host shutdown',
    ]);
  });

  it('a lock asked for during an unlock waits for it to finish', async () => {
    const { lifecycle, log } = recording(['plugins']);
    let open!: () => void;
    const unlocking = lifecycle.unlock(() => new Promise<void>((resolve) => (open = resolve)));
    const locking = lifecycle.lock();
    await Promise.resolve();
    open();
    await Promise.all([unlocking, locking]);
    expect(log).toEqual(['plugins unlocked', 'plugins locking', 'vault locked']);
  });

  it('a participant that fails to lock does not keep the others or the vault from locking', async () => {
    const log: string[] = [];
    const lifecycle = new LockLifecycle({ lockVault: async () => void log.push('vault locked') });
    lifecycle.register({ name: 'first', locking: () => void log.push('first locking') });
    lifecycle.register({
      name: 'broken',
      locking: () => {
        throw new Error('broken');
      },
    });
    await expect(lifecycle.lock()).rejects.toThrow('broken');
    expect(log).toEqual(['first locking', 'vault locked']);
  });

  it('refuses to unlock after close, and a disposed registration is told nothing', async () => {
    const { lifecycle, log } = recording([]);
    const gone = lifecycle.register({ name: 'gone', locking: () => void log.push('gone') });
    gone.dispose();
    await lifecycle.close();
    await expect(lifecycle.unlock(async () => undefined)).rejects.toThrow('closed');
    expect(log).toEqual(['vault locked']);
  });
});
