import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultOf, startCore, type CoreFixture } from '../../support/core-fixture';
import { fixtureDir } from '../../support/plugin-fixtures';

// Main's checks around a plugin call, and what happens when the plugin or its
// host misbehaves: every call ends cleanly and the next one works.

let fixture: CoreFixture;
const TOKEN = 'leaker-secret-0123456789';

beforeAll(async () => {
  fixture = await startCore();
  const { core } = fixture;
  resultOf(await core.dispatch('vault:create', {}));
  for (const name of [
    'echo',
    'secret-leaker',
    'loop-call',
    'trap',
    'huge-output',
    'memory-hog',
    'vultrino-echo',
  ]) {
    await core.plugins.installFromDirectory(fixtureDir(name), { source: 'test' });
  }
  resultOf(
    await core.dispatch('credentials:create', {
      type: 'echo_token',
      name: 'echo-cred',
      fields: { token: 'echo-secret-abcdef' },
    }),
  );
  resultOf(
    await core.dispatch('credentials:create', {
      type: 'leaker_token',
      name: 'leaky',
      fields: { token: TOKEN },
    }),
  );
  resultOf(
    await core.dispatch('credentials:create', {
      type: 'api_key',
      name: 'github',
      fields: { key: 'ghp_not_for_plugins' },
    }),
  );
}, 120_000);
afterAll(() => fixture.cleanup());

const run = (call: Parameters<CoreFixture['core']['pluginCalls']['run']>[0]) =>
  fixture.core.pluginCalls.run(call);

describe('a plugin call', () => {
  it('carries action, parameters with defaults applied, and the credential’s fields', async () => {
    const answer = await run({
      plugin: 'echo',
      action: 'echo',
      credential: { name: 'echo-cred' },
      parameters: { message: 'hi', count: 2 },
    });
    expect(answer).toEqual({
      code: 0,
      data: {
        action: 'echo',
        parameters: { message: 'hi', count: 2, mode: 'plain' },
        credential_fields: ['token'],
      },
      error: null,
    });
  });

  it('answers -2 for an unknown action and -3 naming a bad parameter, before the plugin runs', async () => {
    expect(await run({ plugin: 'echo', action: 'explode' })).toMatchObject({
      code: -2,
      error: 'Plugin "echo" has no action "explode"',
    });
    expect(await run({ plugin: 'echo', action: 'echo', parameters: { count: 'two' } })).toEqual({
      code: -3,
      error: 'Parameter "count" must be an integer',
    });
    expect(await run({ plugin: 'echo', action: 'echo', parameters: { mode: 'loud' } })).toEqual({
      code: -3,
      error: 'Parameter "mode" must be one of "plain", "fancy"',
    });
  });

  it('passes the plugin’s own error code and message through', async () => {
    expect(
      await run({ plugin: 'echo', action: 'fail', parameters: { message: 'nope' } }),
    ).toMatchObject({ code: -1, error: 'nope' });
  });

  it('gives a plugin only credentials of the types it defines', async () => {
    await expect(
      run({ plugin: 'echo', action: 'echo', credential: { name: 'github' } }),
    ).rejects.toThrow(/is of type api_key; plugin "echo" only receives echo_token/);
    await expect(
      run({ plugin: 'echo', action: 'echo', credential: { name: 'leaky' } }),
    ).rejects.toThrow(/only receives echo_token/);
  });

  it.each(['raw', 'hex', 'hex_upper', 'base64', 'base64url', 'embedded', 'embedded_base64'])(
    'withholds output holding the credential’s secret (%s)',
    async (encoding) => {
      const answer = await run({
        plugin: 'secret-leaker',
        action: 'leak',
        credential: { name: 'leaky' },
        parameters: { encoding },
      });
      expect(answer.code).toBe(-1);
      expect(answer.error).toMatch(
        /returned a secret of credential "leaky"; the output was withheld/,
      );
      expect(JSON.stringify(answer).includes(TOKEN)).toBe(false);
    },
  );

  it('lets output through that holds no secret', async () => {
    const answer = await run({
      plugin: 'secret-leaker',
      action: 'leak',
      credential: { name: 'leaky' },
      parameters: { encoding: 'none' },
    });
    expect(answer.code).toBe(0);
  });
});

describe('a misbehaving plugin', () => {
  it('a call that never returns is stopped at the plugin’s time limit, and the next call works', async () => {
    const answer = await run({ plugin: 'loop-call', action: 'spin' });
    expect(answer.code).toBe(-1);
    expect(answer.error).toMatch(/timeout/i);
    expect((await run({ plugin: 'echo', action: 'echo' })).code).toBe(0);
  });

  it('a plugin that loops while loading is stopped and marked broken; the others keep working', async () => {
    const info = await fixture.core.plugins.installFromDirectory(fixtureDir('loop-start'), {
      source: 'test',
    });
    expect(info.status).toBe('error');
    expect(info.error).toMatch(/did not finish starting within its limit of 1000 ms/);
    expect((await run({ plugin: 'echo', action: 'echo' })).code).toBe(0);
    await fixture.core.plugins.uninstall('loop-start');
  });

  it('a trap fails that call with a clear error', async () => {
    const answer = await run({ plugin: 'trap', action: 'trap' });
    expect(answer.code).toBe(-1);
    expect(answer.error).toMatch(/Plugin "trap" failed/);
    expect((await run({ plugin: 'trap', action: 'trap' })).code).toBe(-1);
    expect((await run({ plugin: 'echo', action: 'echo' })).code).toBe(0);
  });

  it('output over 1 MiB is refused', async () => {
    const answer = await run({ plugin: 'huge-output', action: 'emit' });
    expect(answer.code).toBe(-1);
    expect(answer.error).toMatch(/output/i);
  });

  it('a plugin that grows its memory past the cap is stopped; the app and other plugins live', async () => {
    const answer = await run({ plugin: 'memory-hog', action: 'hog' });
    expect(answer.code).toBe(-1);
    expect(answer.error).toMatch(/memory|trap/i);
    expect(
      (
        await run({
          plugin: 'vultrino-echo',
          action: 'echo',
          parameters: { message: 'still here' },
        })
      ).code,
    ).toBe(0);
  });

  it('a host killed mid-call fails that call cleanly and restarts by itself with its plugins', async () => {
    const before = fixture.core.pluginHost.restartCount;
    const pid = fixture.core.pluginHost.pid;
    expect(pid).toBeGreaterThan(0);
    const pending = run({ plugin: 'loop-call', action: 'spin' });
    setTimeout(() => process.kill(pid as number, 'SIGKILL'), 200);
    const answer = await pending;
    expect(answer.code).toBe(-1);
    expect(answer.error).toMatch(
      /stopped unexpectedly during the call .*the system may have killed it/,
    );
    expect(
      (await run({ plugin: 'echo', action: 'echo', credential: { name: 'echo-cred' } })).code,
    ).toBe(0);
    expect(fixture.core.pluginHost.restartCount).toBeGreaterThan(before);
    expect(fixture.core.pluginHost.pid).not.toBe(pid);
  });

  it('100 concurrent calls across plugins all complete or fail cleanly', async () => {
    const calls = Array.from({ length: 100 }, (_, i) => {
      if (i % 10 === 0) return run({ plugin: 'trap', action: 'trap' });
      if (i % 2 === 0) return run({ plugin: 'echo', action: 'echo', parameters: { count: i } });
      return run({ plugin: 'vultrino-echo', action: 'echo', parameters: { message: `m${i}` } });
    });
    const answers = await Promise.all(calls);
    answers.forEach((answer, i) => expect(answer.code, `call ${i}`).toBe(i % 10 === 0 ? -1 : 0));
    const echoed = answers
      .filter((_, i) => i % 10 !== 0 && i % 2 === 0)
      .map((a) => (a.data as { parameters: { count: number } }).parameters.count);
    expect(echoed).toEqual(
      Array.from({ length: 100 }, (_, i) => i).filter((i) => i % 10 !== 0 && i % 2 === 0),
    );
  });
});
