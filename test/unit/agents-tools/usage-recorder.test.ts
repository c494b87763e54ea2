import { describe, expect, it } from 'vitest';
import { UsageRecorder } from '../../../electron/core/agents/tools/usage-recorder';
import type { VaultContent } from '../../../electron/core/vault/vault-content';

// Last-used times are saved after the calls that set them, batched: a vault
// whose saves we hold open shows how many saves a burst of calls costs.

function heldVault(ids: string[]) {
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
  const saves: (() => void)[] = [];
  let failNext = false;
  const vault = {
    update: async <T>(fn: (c: VaultContent) => T): Promise<T> => {
      await new Promise<void>((resolve) => saves.push(resolve));
      if (failNext) {
        failNext = false;
        throw new Error('The vault is locked. Unlock Custodian first.');
      }
      return fn(content);
    },
  };
  const used = (id: string) => content.credentials.find((c) => c.id === id)?.lastUsedAt;
  return { vault, saves, used, failNextSave: () => (failNext = true) };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('UsageRecorder', () => {
  it('saves a burst of marks in two saves: the first, then everything that came during it', async () => {
    const { vault, saves, used } = heldVault(['a', 'b', 'c']);
    let clock = 0;
    const recorder = new UsageRecorder(vault, () => new Date(Date.UTC(2026, 0, 1, 0, 0, clock++)));
    recorder.mark('a');
    await tick();
    for (const id of ['b', 'c', 'b']) recorder.mark(id);
    expect(saves).toHaveLength(1);
    saves.shift()?.();
    await tick();
    expect(used('a')).toBe('2026-01-01T00:00:00.000Z');
    expect(used('b')).toBeNull();
    // One more save takes all three later marks, the last time of b winning.
    expect(saves).toHaveLength(1);
    saves.shift()?.();
    await recorder.settled();
    expect(used('b')).toBe('2026-01-01T00:00:03.000Z');
    expect(used('c')).toBe('2026-01-01T00:00:02.000Z');
    expect(saves).toHaveLength(0);
  });

  it('drops a batch whose save fails and saves the next marks', async () => {
    const { vault, saves, used, failNextSave } = heldVault(['a', 'b']);
    const recorder = new UsageRecorder(vault);
    failNextSave();
    recorder.mark('a');
    await tick();
    saves.shift()?.();
    await recorder.settled();
    expect(used('a')).toBeNull();
    recorder.mark('b');
    await tick();
    saves.shift()?.();
    await recorder.settled();
    expect(used('b')).not.toBeNull();
  });

  it('is settled at once when nothing was marked', async () => {
    const { vault, saves } = heldVault([]);
    await new UsageRecorder(vault).settled();
    expect(saves).toHaveLength(0);
  });
});
