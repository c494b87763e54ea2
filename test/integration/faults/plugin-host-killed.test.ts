import { afterEach, describe, expect, it } from 'vitest';
import { resultOf, startCore, type CoreFixture } from '../../support/core-fixture';
import { eventually } from '../../support/eventually';
import { addEchoCredential, note } from './fault-core';

// Issue 19, point 7: the OS kills the plugin host (SIGKILL, as an
// out-of-memory killer does) between calls. It comes back with the same
// plugins; more than 5 deaths within a minute (on the core's monotonic clock,
// moved by hand here) stop the restarts, the window's plugin list says why,
// and the rest of Custodian keeps working. (A kill during a call is proved in
// test/integration/plugins/calls.test.ts.) The same PluginHostClient runs in
// the app and headless; only the process launcher differs.

let fixture: CoreFixture | undefined;
let clock = 0;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

async function start(): Promise<CoreFixture> {
  clock = 0;
  fixture = await startCore({
    store: { bundled: null },
    approvals: { kind: 'headless', allowTools: ['fixture_echo'] },
    monotonic: () => clock,
  });
  const { core } = fixture;
  resultOf(await core.dispatch('vault:create', {}));
  await addEchoCredential(core);
  return fixture;
}

const echo = async (f: CoreFixture, message: string) => {
  const result = await f.core.agents.call('cli', 'fixture_echo', {
    credential: 'echo-cred',
    message,
  });
  return { isError: result.isError ?? false, text: result.content[0]?.text ?? '' };
};

/** SIGKILLs the running host and waits until the core has noticed. */
async function killHost(f: CoreFixture): Promise<number> {
  const pid = await eventually(() => f.core.pluginHost.pid ?? false, { message: 'a running host' });
  process.kill(pid, 'SIGKILL');
  await eventually(() => f.core.pluginHost.pid !== pid, { message: 'the death to be noticed' });
  return pid;
}

describe('the plugin host killed by the system', () => {
  it('between calls: the next call restarts it with the same plugins', async () => {
    const f = await start();
    expect(await echo(f, 'before')).toMatchObject({
      isError: false,
      text: expect.stringContaining('before'),
    });
    const killed = await killHost(f);
    expect(await echo(f, 'after')).toMatchObject({
      isError: false,
      text: expect.stringContaining('after'),
    });
    expect(f.core.pluginHost.pid).not.toBe(killed);
    expect(resultOf(await f.core.dispatch('plugins:list', {}))).toMatchObject([
      { name: 'echo', status: 'loaded' },
    ]);
  });

  it('more than 5 deaths within a minute: no more restarts, the person is told, the rest works', async () => {
    const f = await start();
    const { core } = f;
    for (let death = 1; death <= 5; death++) {
      expect((await echo(f, `run ${death}`)).isError).toBe(false);
      await killHost(f);
      clock += 10_000;
    }
    expect(core.pluginHost.halted).toBeUndefined();
    expect((await echo(f, 'run 6')).isError).toBe(false);
    await killHost(f);

    const halted =
      'The plugin host stopped 6 times within 60 seconds, so Custodian stopped restarting it: plugin tools are unavailable until you lock and unlock Custodian (or restart it). Everything else keeps working.';
    expect(core.pluginHost.halted).toBe(halted);
    const refused = await echo(f, 'refused');
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain(halted);
    expect(core.pluginHost.pid).toBeUndefined();
    expect(resultOf(await core.dispatch('plugins:list', {}))).toMatchObject([
      { name: 'echo', status: 'error', error: halted },
    ]);
    // Everything without plugins goes on.
    resultOf(await core.dispatch('credentials:create', note('still-works')));
    expect(core.credentials.list().map((c) => c.name)).toContain('still-works');

    // Lock and unlock: the person's way to try again.
    await core.lifecycle.lock();
    resultOf(await core.dispatch('vault:unlock', {}));
    expect(core.pluginHost.halted).toBeUndefined();
    expect(await echo(f, 'back')).toMatchObject({
      isError: false,
      text: expect.stringContaining('back'),
    });
  });

  it('deaths spread over more than a minute never halt it', async () => {
    const f = await start();
    for (let death = 1; death <= 7; death++) {
      expect((await echo(f, `run ${death}`)).isError).toBe(false);
      await killHost(f);
      clock += 15_000;
    }
    expect(f.core.pluginHost.halted).toBeUndefined();
    expect((await echo(f, 'again')).isError).toBe(false);
  });
});
