import { cpus, platform, release } from 'node:os';

// A small benchmark harness. Most figures are named operations timed one call
// at a time (after a warm-up) and summarised by their median and p99; a few
// measure themselves (a burst of concurrent calls, a process's memory). Each
// is printed as a table beside ratios between figures measured in the same
// run, and written to bench/results.json. Nothing here asserts a time: the
// numbers are for reading and comparing.

/** One operation timed call by call. */
export interface TimedFigure {
  kind?: 'timed';
  /** The key in results.json, e.g. pgp_sign_ed25519. */
  name: string;
  /** What the row of the table says. */
  label: string;
  warmup: number;
  iterations: number;
  /** Untimed work before each call (locking before an unlock is timed, say). */
  before?(): Promise<unknown>;
  /** One operation; awaited and timed on its own. */
  run(): Promise<unknown>;
}

/** A figure that measures itself: a burst of concurrent calls, a process's memory. */
export interface SampledFigure {
  kind: 'sampled';
  name: string;
  label: string;
  sample(): Promise<Stats>;
}

export type Figure = TimedFigure | SampledFigure;

/**
 * numerator / denominator, of the two figures' medians (or of another
 * metric); with `kind: 'difference'`, numerator − denominator instead (how
 * many milliseconds a figure spends above its floor).
 */
export interface Ratio {
  name: string;
  label: string;
  numerator: string;
  denominator: string;
  metric?: 'median_ms' | 'rss_mb' | 'per_s';
  kind?: 'ratio' | 'difference';
}

/** What a ratio or a figure's metric must be for a target to be met. */
export interface Target {
  /** The key in results.json's `targets`. */
  name: string;
  label: string;
  /** A ratio's (or difference's) key, or a figure's key and metric. */
  of: { ratio: string } | { figure: string; metric: keyof Stats };
  atMost?: number;
  atLeast?: number;
}

export interface TargetResult {
  label: string;
  value: number;
  limit: string;
  met: boolean;
}

/** A ratio's value from the figures at hand; NaN when either figure is missing. */
export function ratioValue(ratio: Ratio, figures: ReadonlyMap<string, Stats>): number {
  const metric = ratio.metric ?? 'median_ms';
  const a = figures.get(ratio.numerator)?.[metric] ?? NaN;
  const b = figures.get(ratio.denominator)?.[metric] ?? NaN;
  return Number((ratio.kind === 'difference' ? a - b : a / b).toFixed(3));
}

/** Each target's value, limit and whether it was met (a missing value is not met). */
export function targetResult(
  target: Target,
  figures: ReadonlyMap<string, Stats>,
  ratios: ReadonlyMap<string, number>,
): TargetResult {
  const value =
    'ratio' in target.of
      ? (ratios.get(target.of.ratio) ?? NaN)
      : (figures.get(target.of.figure)?.[target.of.metric] ?? NaN);
  const limit = [
    target.atMost === undefined ? '' : `≤ ${target.atMost}`,
    target.atLeast === undefined ? '' : `≥ ${target.atLeast}`,
  ]
    .filter(Boolean)
    .join(', ');
  const met =
    Number.isFinite(value) &&
    (target.atMost === undefined || value <= target.atMost) &&
    (target.atLeast === undefined || value >= target.atLeast);
  return { label: target.label, value: Number(value.toFixed(3)), limit, met };
}

/** Shared by the suites of one run: one served core, one GnuPG, started on first use. */
export interface SuiteContext {
  close(): Promise<void>;
}

/** A group of figures sharing a setup (keys, a core, child processes). */
export interface Suite<Context extends SuiteContext = SuiteContext> {
  name: string;
  setup(
    scale: number,
    context: Context,
  ): Promise<{ figures: Figure[]; ratios: Ratio[]; teardown(): Promise<void> }>;
}

export interface Stats {
  median_ms?: number;
  p99_ms?: number;
  mean_ms?: number;
  min_ms?: number;
  iterations?: number;
  /** Calls that failed (a concurrent run must have none). */
  errors?: number;
  /** Calls answered per second. */
  per_s?: number;
  /** Resident memory, in MiB. */
  rss_mb?: number;
  /** The plugin host's resident memory beside the core's, in MiB. */
  host_mb?: number;
}

/** Nearest-rank percentile of sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? NaN;
}

export function median(sorted: readonly number[]): number {
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  const at = (i: number) => sorted[i] ?? NaN;
  return sorted.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

export function summarise(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median_ms: median(sorted),
    p99_ms: percentile(sorted, 99),
    mean_ms: sorted.reduce((sum, x) => sum + x, 0) / (sorted.length || 1),
    min_ms: sorted[0] ?? NaN,
    iterations: sorted.length,
  };
}

/** Milliseconds since `start` (a process.hrtime.bigint()). */
export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Warms up, then times each of `iterations` calls; answers the samples in ms. */
export async function measure(figure: TimedFigure): Promise<number[]> {
  for (let i = 0; i < figure.warmup; i++) {
    await figure.before?.();
    await figure.run();
  }
  const samples: number[] = [];
  for (let i = 0; i < figure.iterations; i++) {
    await figure.before?.();
    const start = process.hrtime.bigint();
    await figure.run();
    samples.push(elapsedMs(start));
  }
  return samples;
}

export async function statsOf(figure: Figure): Promise<Stats> {
  return figure.kind === 'sampled' ? figure.sample() : summarise(await measure(figure));
}

export function machine(): { node: string; cpus: number; cpu_model: string; platform: string } {
  const list = cpus();
  return {
    node: process.version,
    cpus: list.length,
    cpu_model: list[0]?.model.trim() ?? 'unknown',
    platform: `${platform()} ${release()} ${process.arch}`,
  };
}

export function rounded(stats: Stats): Stats {
  return Object.fromEntries(
    Object.entries(stats).map(([key, value]) => [
      key,
      key === 'iterations' || key === 'errors' ? value : Number((value as number).toFixed(3)),
    ]),
  );
}

/** A plain-text table: the first column left-aligned, the others right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Two decimals, or a dash for a figure that has no such value. */
export const ms = (x: number | undefined): string =>
  x !== undefined && Number.isFinite(x) ? x.toFixed(2) : '–';
