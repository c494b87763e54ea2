import { monotonicMs } from '../../clock';
import { z } from 'zod';

// Stops a runaway agent before it floods the person with approval dialogs or
// a plugin with calls. A token bucket per tool, kept as the time at which the
// bucket will next be full (the "generic cell rate algorithm"): the same
// behaviour as counting tokens, but in whole milliseconds, so no rounding
// drift, and a bucket that has refilled needs no entry at all.

export const rateLimitSchema = z.object({
  /** Sustained calls a minute. */
  perMinute: z.number().int().positive().max(60_000),
  /** Calls allowed back to back after a quiet spell. */
  burst: z.number().int().positive().max(10_000),
});
export type RateLimit = z.infer<typeof rateLimitSchema>;

export const DEFAULT_RATE_LIMIT: RateLimit = { perMinute: 30, burst: 10 };

export interface RateLimiterClock {
  now(): number;
}

export type TakeResult =
  | { ok: true }
  | {
      ok: false;
      retryAfterMs: number;
      /** For the agent, e.g. "pgp_sign was called more than 30 times a minute; wait 12 s". */
      message: string;
    };

export interface RateLimiterOptions {
  limit?: RateLimit;
  /** Tools that need a different limit than `limit`. */
  perTool?: Record<string, RateLimit>;
  clock?: RateLimiterClock;
}

export class RateLimiter {
  private readonly limit: RateLimit;
  private readonly perTool: Map<string, RateLimit>;
  private readonly clock: RateLimiterClock;
  /** Per tool: when its bucket is full again; absent means full. */
  private readonly fullAt = new Map<string, number>();

  constructor(options: RateLimiterOptions = {}) {
    this.limit = rateLimitSchema.parse(options.limit ?? DEFAULT_RATE_LIMIT);
    this.perTool = new Map(
      Object.entries(options.perTool ?? {}).map(([tool, limit]) => [
        tool,
        rateLimitSchema.parse(limit),
      ]),
    );
    // Monotonic: a wall clock set back by hours must not hold a bucket empty for hours.
    this.clock = options.clock ?? { now: monotonicMs };
  }

  limitFor(tool: string): RateLimit {
    return this.perTool.get(tool) ?? this.limit;
  }

  /** Spends one call of `tool`'s budget, or says how long until one is free. A refusal spends nothing. */
  take(tool: string): TakeResult {
    const { perMinute, burst } = this.limitFor(tool);
    const now = this.clock.now();
    // The time one call adds to the bucket, and how far ahead of now the
    // bucket may run before it counts as empty.
    const cost = 60_000 / perMinute;
    const slack = cost * burst;
    const fullAt = Math.max(this.fullAt.get(tool) ?? now, now);
    const next = fullAt + cost;
    if (next - now > slack) {
      const retryAfterMs = Math.ceil(next - now - slack);
      return { ok: false, retryAfterMs, message: rateLimitMessage(tool, perMinute, retryAfterMs) };
    }
    this.fullAt.set(tool, next);
    this.forgetFullBuckets(now);
    return { ok: true };
  }

  /** Refills every bucket, or one tool's. */
  reset(tool?: string): void {
    if (tool === undefined) this.fullAt.clear();
    else this.fullAt.delete(tool);
  }

  private forgetFullBuckets(now: number): void {
    // Keeps the map as small as the set of tools in recent use.
    if (this.fullAt.size < 64) return;
    for (const [tool, fullAt] of this.fullAt) if (fullAt <= now) this.fullAt.delete(tool);
  }
}

export function rateLimitMessage(tool: string, perMinute: number, retryAfterMs: number): string {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const times = perMinute === 1 ? 'once' : `${perMinute} times`;
  return `${tool} was called more than ${times} a minute; wait ${seconds} s`;
}
