import { describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually';

// The suite's one way to wait: it must stop waiting, and say what it waited for.

describe('eventually', () => {
  it('resolves with what the check returns once it stops throwing', async () => {
    let tries = 0;
    const value = await eventually(
      () => {
        tries++;
        if (tries < 3) throw new Error('not yet');
        return 'ready';
      },
      { intervalMs: 1 },
    );
    expect(value).toBe('ready');
    expect(tries).toBe(3);
  });

  it('retries a predicate while it returns false, and takes an assertion that returns nothing', async () => {
    let count = 0;
    await expect(eventually(() => ++count >= 3, { intervalMs: 1 })).resolves.toBe(true);
    await expect(
      eventually(() => {
        expect(count).toBe(3);
      }),
    ).resolves.toBeUndefined();
  });

  it('fails after its bound with the message and the last error', async () => {
    let tries = 0;
    const failure = eventually(
      () => {
        tries++;
        expect(tries).toBe(-1);
      },
      { timeoutMs: 30, intervalMs: 5, message: () => `the count to go negative (${tries} tries)` },
    );
    await expect(failure).rejects.toThrow(
      /^Timed out after 30 ms waiting for the count to go negative \(\d+ tries\): expected \d+ to be -1/,
    );
    const settled = tries;
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Once it has failed, it stops trying.
    expect(tries).toBe(settled);
    expect(settled).toBeGreaterThan(1);
  });

  it('names a predicate that never held', async () => {
    await expect(eventually(() => false, { timeoutMs: 10, message: 'nothing' })).rejects.toThrow(
      'Timed out after 10 ms waiting for nothing: the check returned false',
    );
  });
});
