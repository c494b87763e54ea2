import type { HostEvent } from '../../../shared/plugin-host-protocol';
import type { Scrubber } from './scrub';

// custodian_log and Extism's log_*: a line from a plugin to the app log.
// Scrubbed of the call's credential values first, then made one printable line
// of at most LINE_MAX characters, then rate-limited per plugin (a burst, then a
// steady rate). Lines over the rate are dropped and counted; the next line that
// passes is preceded by a note saying how many were dropped.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export const LINE_MAX = 1_000;
/** What a worker forwards of one message before the host scrubs it (the rest is cut there). */
export const RAW_LINE_MAX = 16_384;

export interface RateLimit {
  burst: number;
  perSecond: number;
}
export const DEFAULT_RATE: RateLimit = { burst: 20, perSecond: 5 };

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: RateLimit,
    now: number,
  ) {
    this.tokens = rate.burst;
    this.last = now;
  }

  take(now: number): boolean {
    this.tokens = Math.min(
      this.rate.burst,
      this.tokens + ((now - this.last) / 1000) * this.rate.perSecond,
    );
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export function normalizeLevel(level: unknown): LogLevel {
  if (level === 'trace' || level === 'debug') return 'debug';
  if (level === 'warn' || level === 'error') return level;
  return 'info';
}

/** One printable line: control characters become spaces, then cut to LINE_MAX. */
export function toLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ');
  return flat.length > LINE_MAX
    ? `${flat.slice(0, LINE_MAX)}… (${flat.length - LINE_MAX} more characters)`
    : flat;
}

export class PluginLog {
  private readonly buckets = new Map<string, { bucket: TokenBucket; dropped: number }>();

  constructor(
    private readonly emit: (event: HostEvent) => void,
    private readonly rate: RateLimit = DEFAULT_RATE,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns false when the line was dropped by the rate limit. */
  write(
    plugin: string,
    level: unknown,
    message: string,
    scrub: Scrubber,
    truncated = false,
  ): boolean {
    let state = this.buckets.get(plugin);
    if (!state) {
      state = { bucket: new TokenBucket(this.rate, this.now()), dropped: 0 };
      this.buckets.set(plugin, state);
    }
    if (!state.bucket.take(this.now())) {
      state.dropped++;
      return false;
    }
    if (state.dropped > 0) {
      this.emit({
        kind: 'log',
        plugin,
        level: 'warn',
        message: `${state.dropped} log line(s) from this plugin were dropped by the rate limit`,
      });
      state.dropped = 0;
    }
    this.emit({
      kind: 'log',
      plugin,
      level: normalizeLevel(level),
      message: toLine(scrub(message, truncated)),
    });
    return true;
  }

  forget(plugin: string): void {
    this.buckets.delete(plugin);
  }
}
