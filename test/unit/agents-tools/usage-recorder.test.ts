import { describe, expect, it } from 'vitest';
import { UsageRecorder } from '../../../electron/core/agents/tools/usage-recorder';
import type { VaultContent } from '../../../electron/core/vault/vault-content';
import { eventually } from '../../support/eventually';

// Last-used times are saved after the calls that set them, gathered into one
// save: a vault that counts its saves shows what a burst of calls costs.

function countingVault(ids: string[]) {
  const content: VaultContent = {
    version: 1,
    credentials: ids.map((id) => ({
      id,
      name: id,
      type: 'api_key',
      description: '',
      fields: {},
      createdAt: 't',
      updatedAt: 't',
      lastUsedAt: null,
    })),
  };
  let saves = 0;
  let failNext = false;
  const vault = {
    update: async <T>(fn: (c: VaultContent) => T): Promise<T> => {
      saves++;
      await new Promise((resolve) => setImmediate(resolve));
      if (failNext) {
        failNext = false;
        throw new Error('The vault is locked. Unlock Custodian first.');
      }
      return fn(content);
    },
  };
  return {
    vault,
    saves: () => saves,
    used: (id: string) => content.credentials.find((c) => c.id === id)?.lastUsedAt,
    failNextSave: () => (failNext = true),
  };
}

const clock = () => {
  let second = 0;
  return () => new Date(Date.UTC(2026, 0, 1, 0, 0, second++));
};

describe('UsageRecorder', () => {
  it('saves nothing during the calls, then a burst of marks in one save, the latest time winning', async () => {
    const { vault, saves, used } = countingVault(['a', 'b', 'c']);
    const recorder = new UsageRecorder(vault, { delayMs: 60_000, now: clock() });
    for (const id of ['a', 'b', 'c', 'b']) recorder.mark(id);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(saves()).toBe(0);
    await recorder.settled();
    expect(saves()).toBe(1);
    expect([used('a'), used('b'), used('c')]).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:03.000Z',
      '2026-01-01T00:00:02.000Z',
    ]);
    await recorder.settled();
    expect(saves()).toBe(1);
  });

  it('saves on its own once the delay has passed, and again for marks made during that save', async () => {
    const { vault, saves, used } = countingVault(['a', 'b']);
    const recorder = new UsageRecorder(vault, { delayMs: 5 });
    recorder.mark('a');
    await eventually(() => expect(used('a')).not.toBeNull(), { message: 'the first save' });
    recorder.mark('b');
    await eventually(() => expect(used('b')).not.toBeNull(), { message: 'the second save' });
    expect(saves()).toBe(2);
  });

  it('drops a batch whose save fails and saves the next marks', async () => {
    const { vault, used, failNextSave } = countingVault(['a', 'b']);
    const recorder = new UsageRecorder(vault, { delayMs: 60_000 });
    failNextSave();
    recorder.mark('a');
    await recorder.settled();
    expect(used('a')).toBeNull();
    recorder.mark('b');
    await recorder.settled();
    expect(used('b')).not.toBeNull();
  });

  it('is settled at once when nothing was marked', async () => {
    const { vault, saves } = countingVault([]);
    await new UsageRecorder(vault).settled();
    expect(saves()).toBe(0);
  });
});
