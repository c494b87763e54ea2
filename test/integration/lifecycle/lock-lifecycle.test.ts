import { afterEach, describe, expect, it } from 'vitest';
import { resultOf, startCore, type CoreFixture } from '../../support/core-fixture';
import { fixtureDir } from '../../support/plugin-fixtures';

// The lock lifecycle on a real core: what it tells its own participants shows
// in the vault, the plugins and the plugin host; a recording participant
// registered last shows it is told once per lock and close, before the others.

let fixture: CoreFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

async function unlockedCoreWithPlugin(log: string[]): Promise<CoreFixture> {
  const started = await startCore();
  resultOf(await started.core.dispatch('vault:create', {}));
  await started.core.plugins.installFromDirectory(fixtureDir('echo'), { source: 'test' });
  started.core.lifecycle.register({
    name: 'recorder',
    unlocked: () => void log.push('unlocked'),
    // Registered last, told first: the plugins are still loaded and the vault open.
    locking: () =>
      void log.push(
        `locking (vault ${started.core.vault.isUnlocked ? 'open' : 'locked'}, ${started.core.plugins.list().length} plugin)`,
      ),
    shutdown: () =>
      void log.push(`shutdown (vault ${started.core.vault.isUnlocked ? 'open' : 'locked'})`),
  });
  return started;
}

describe('the lock lifecycle of a real core', () => {
  it('a lock, even two at once, tells each participant once and unloads the plugins', async () => {
    const log: string[] = [];
    fixture = await unlockedCoreWithPlugin(log);
    const { core } = fixture;
    expect(core.pluginHost.pid).toBeTypeOf('number');
    const [first, second] = await Promise.all([
      core.dispatch('vault:lock', {}),
      core.dispatch('vault:lock', {}),
    ]);
    expect(resultOf(first).state).toBe('locked');
    expect(resultOf(second).state).toBe('locked');
    expect(log).toEqual(['locking (vault open, 1 plugin)']);
    expect(core.plugins.list()).toEqual([]);
    expect(core.pluginHost.pid).toBeUndefined();

    resultOf(await core.dispatch('vault:unlock', {}));
    expect(log.at(-1)).toBe('unlocked');
    expect(core.plugins.list().map((p) => p.name)).toEqual(['echo']);
  });

  it('close is one lock and then the shutdown: the socket, plugin host and vault all end', async () => {
    const log: string[] = [];
    fixture = await unlockedCoreWithPlugin(log);
    const { core } = fixture;
    await core.startBridge();
    expect(core.pluginHost.pid).toBeTypeOf('number');
    await Promise.all([core.close(), core.close()]);
    expect(log).toEqual(['locking (vault open, 1 plugin)', 'shutdown (vault locked)']);
    expect(core.vault.isUnlocked).toBe(false);
    expect(core.pluginHost.pid).toBeUndefined();
    expect(core.clients()).toEqual([]);
  });
});
