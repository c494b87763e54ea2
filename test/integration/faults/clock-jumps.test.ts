import { afterEach, describe, expect, it, vi } from 'vitest';
import { AutoLock } from '../../../electron/core/auto-lock';
import { resultOf, startCore, type CoreFixture } from '../../support/core-fixture';
import { eventually } from '../../support/eventually';
import { addEchoCredential } from './fault-core';

// Issue 19, point 6: the wall clock jumps by hours, forwards and backwards.
// Grants and rate limits are measured on the core's monotonic clock, so they
// neither expire early nor live longer; audit entries keep their order by
// sequence, and show the wall time as it was when each was written. Both
// clocks are the test's: `wall` is what a person's clock says, `mono` what
// really elapsed.

const HOUR = 3_600_000;
let fixture: CoreFixture | undefined;
let wall = Date.parse('2026-03-01T09:00:00.000Z');
let mono = 0;
afterEach(async () => {
  vi.restoreAllMocks();
  await fixture?.cleanup();
  fixture = undefined;
});

async function start(options: { window?: boolean; perMinute?: number } = {}) {
  wall = Date.parse('2026-03-01T09:00:00.000Z');
  mono = 0;
  fixture = await startCore({
    store: { bundled: null },
    approvals: options.window
      ? { kind: 'window' }
      : { kind: 'headless', allowTools: ['fixture_echo'] },
    now: () => new Date(wall),
    monotonic: () => mono,
  });
  const { core } = fixture;
  resultOf(await core.dispatch('vault:create', {}));
  await addEchoCredential(core);
  return fixture;
}

const echo = (f: CoreFixture, message: string) =>
  f.core.agents.call('claude', 'fixture_echo', { credential: 'echo-cred', message });

describe('the wall clock jumps', () => {
  it('a "10 minutes" grant neither ends early (clock forward) nor lives longer (clock back)', async () => {
    const f = await start({ window: true });
    const first = echo(f, 'one');
    const asked = await eventually(() => f.core.agents.pending()[0] ?? false);
    f.core.agents.answer(asked.id, 'ten_minutes');
    expect((await first).isError).toBeFalsy();

    wall += 5 * HOUR; // forward: a wall-clock grant would be over
    expect((await echo(f, 'two')).isError).toBeFalsy();
    expect(f.core.agents.pending()).toEqual([]);
    wall -= 10 * HOUR; // back: a wall-clock grant would last hours more
    mono += 10 * 60_000; // …but ten real minutes have passed
    const third = echo(f, 'three');
    // Asked again: the grant is over.
    const again = await eventually(() => f.core.agents.pending()[0] ?? false);
    f.core.agents.answer(again.id, 'deny');
    expect((await third).isError).toBe(true);
  });

  it('a rate limit is not stretched by a clock set back, nor reset by one set forward', async () => {
    fixture = undefined;
    const f = await (async () => {
      wall = Date.parse('2026-03-01T09:00:00.000Z');
      mono = 0;
      fixture = await startCore({
        store: { bundled: null },
        approvals: { kind: 'headless', allowTools: ['list_credentials'] },
        now: () => new Date(wall),
        monotonic: () => mono,
        rateLimit: { limit: { perMinute: 1, burst: 1 } },
      });
      resultOf(await fixture.core.dispatch('vault:create', {}));
      return fixture;
    })();
    const list = () => f.core.agents.call('cli', 'list_credentials', {});
    expect((await list()).isError).toBeFalsy();
    expect((await list()).content[0]?.text).toMatch(/more than 1 times a minute|wait/);
    wall += 5 * HOUR;
    expect((await list()).isError).toBe(true);
    wall -= 10 * HOUR;
    mono += 60_000;
    expect((await list()).isError).toBeFalsy();
  });

  it('audit entries keep their order by sequence and show the wall time they were written at', async () => {
    const f = await start();
    await echo(f, 'at nine');
    wall -= 3 * HOUR;
    await echo(f, 'at six');
    wall += 8 * HOUR;
    await echo(f, 'at fourteen');
    // What the Activity view asks for: newest first, by sequence.
    const entries = resultOf(await f.core.dispatch('audit:query', {})).reverse();
    const calls = entries.filter((e) => e.tool === 'fixture_echo' && e.outcome === 'succeeded');
    expect(calls.map((e) => e.time)).toEqual([
      '2026-03-01T09:00:00.000Z',
      '2026-03-01T06:00:00.000Z',
      '2026-03-01T14:00:00.000Z',
    ]);
    const seqs = entries.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(await f.core.agents.audit.verify()).toMatchObject({ ok: true });
  });
});

describe('auto-lock on the real clocks', () => {
  it('a wall clock set forward by hours does not lock an active vault', () => {
    const locks: string[] = [];
    const autoLock = new AutoLock((reason) => locks.push(reason));
    autoLock.setIdleMinutes(5);
    const realNow = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(realNow + 5 * HOUR);
    autoLock.check();
    expect(locks).toEqual([]);
    autoLock.dispose();
  });
});
