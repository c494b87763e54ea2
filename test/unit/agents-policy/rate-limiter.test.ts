import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RATE_LIMIT,
  RateLimiter,
  rateLimitMessage,
} from '../../../electron/core/agents/policy/rate-limiter';

// The per-tool token bucket against a clock the test moves by hand.

function setup(options: ConstructorParameters<typeof RateLimiter>[0] = {}) {
  const clock = { time: 5_000_000, now: () => clock.time };
  return { clock, limiter: new RateLimiter({ ...options, clock }) };
}

/** Takes `n` calls at the current time; returns how many went through. */
function burst(limiter: RateLimiter, tool: string, n: number): number {
  let ok = 0;
  for (let i = 0; i < n; i++) if (limiter.take(tool).ok) ok++;
  return ok;
}

describe('RateLimiter', () => {
  it('defaults to 30 a minute with a burst of 10', () => {
    const { limiter } = setup();
    expect(DEFAULT_RATE_LIMIT).toEqual({ perMinute: 30, burst: 10 });
    expect(limiter.limitFor('pgp_sign')).toEqual({ perMinute: 30, burst: 10 });
  });

  it('lets a burst through at once, then refuses with the wait and a clear message', () => {
    const { limiter } = setup();
    expect(burst(limiter, 'pgp_sign', 10)).toBe(10);
    expect(limiter.take('pgp_sign')).toEqual({
      ok: false,
      retryAfterMs: 2_000,
      message: 'pgp_sign was called more than 30 times a minute; wait 2 s',
    });
  });

  it('refills one call per interval, and a refusal spends nothing', () => {
    const { limiter, clock } = setup();
    burst(limiter, 'pgp_sign', 10);
    clock.time += 1_999;
    const refused = limiter.take('pgp_sign');
    expect(refused).toMatchObject({ ok: false, retryAfterMs: 1 });
    clock.time += 1;
    expect(limiter.take('pgp_sign')).toEqual({ ok: true });
    expect(limiter.take('pgp_sign').ok).toBe(false);
    // Refusals did not push the next free call further away.
    for (let i = 0; i < 50; i++) limiter.take('pgp_sign');
    clock.time += 2_000;
    expect(limiter.take('pgp_sign').ok).toBe(true);
  });

  it('holds a steady agent to the sustained rate over minutes', () => {
    const { limiter, clock } = setup();
    // One call attempt every 500 ms from 0 to 3 minutes inclusive: the burst
    // of 10, then one every 2 s (at 2 s, 4 s, ... 180 s).
    let ok = 0;
    for (let t = 0; t <= 180_000; t += 500) {
      if (limiter.take('http_request').ok) ok++;
      clock.time += 500;
    }
    expect(ok).toBe(10 + 90);
  });

  it('refills to the burst and no further after a quiet spell', () => {
    const { limiter, clock } = setup();
    burst(limiter, 'pgp_sign', 10);
    clock.time += 60 * 60_000;
    expect(burst(limiter, 'pgp_sign', 25)).toBe(10);
  });

  it('keeps a bucket per tool', () => {
    const { limiter } = setup();
    expect(burst(limiter, 'pgp_sign', 12)).toBe(10);
    expect(burst(limiter, 'http_request', 12)).toBe(10);
    limiter.reset('pgp_sign');
    expect(burst(limiter, 'pgp_sign', 1)).toBe(1);
    expect(burst(limiter, 'http_request', 1)).toBe(0);
  });

  it('takes configured limits, per tool too, and refuses nonsense ones', () => {
    const { limiter, clock } = setup({
      limit: { perMinute: 5, burst: 2 },
      perTool: { http_request: { perMinute: 120, burst: 1 } },
    });
    expect(burst(limiter, 'pgp_sign', 3)).toBe(2);
    const refused = limiter.take('pgp_sign');
    expect(refused).toEqual({
      ok: false,
      retryAfterMs: 12_000,
      message: 'pgp_sign was called more than 5 times a minute; wait 12 s',
    });
    clock.time += 11_000;
    expect(limiter.take('pgp_sign')).toMatchObject({ ok: false, retryAfterMs: 1_000 });

    expect(burst(limiter, 'http_request', 2)).toBe(1);
    clock.time += 500;
    expect(burst(limiter, 'http_request', 1)).toBe(1);

    expect(() => new RateLimiter({ limit: { perMinute: 0, burst: 1 } })).toThrow();
    expect(() => new RateLimiter({ limit: { perMinute: 10, burst: 1.5 } })).toThrow();
    expect(() => new RateLimiter({ perTool: { pgp_sign: { perMinute: -1, burst: 1 } } })).toThrow();
  });

  it('words the message for the agent', () => {
    expect(rateLimitMessage('pgp_sign', 30, 12_000)).toBe(
      'pgp_sign was called more than 30 times a minute; wait 12 s',
    );
    expect(rateLimitMessage('pgp_sign', 30, 11_001)).toBe(
      'pgp_sign was called more than 30 times a minute; wait 12 s',
    );
    expect(rateLimitMessage('pgp_sign', 30, 1)).toBe(
      'pgp_sign was called more than 30 times a minute; wait 1 s',
    );
    expect(rateLimitMessage('pgp_sign', 1, 60_000)).toBe(
      'pgp_sign was called more than once a minute; wait 60 s',
    );
  });

  it('forgets refilled buckets when many tools were used', () => {
    const { limiter, clock } = setup();
    for (let i = 0; i < 100; i++) limiter.take(`tool_${i}`);
    clock.time += 60_000;
    limiter.take('tool_0');
    // Internal tidying must not change answers: every old tool has a full bucket.
    expect(burst(limiter, 'tool_5', 11)).toBe(10);
  });
});
