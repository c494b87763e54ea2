import { cpus, platform, release } from 'node:os';

// A small benchmark harness: figures are named operations timed one call at a
// time (after a warm-up), summarised by their median and p99, printed as a
// table beside ratios between figures, and written to bench/results.json.
// Nothing here asserts a time: the numbers are for reading and comparing.

export interface Figure {
  /** The key in results.json, e.g. pgp_sign_ed25519. */
  name: string;
  /** What the row of the table says. */
  label: string;
  warmup: number;
  iterations: number;
  /** One operation; awaited and timed on its own. */
  run(): Promise<unknown>;
}

/** numerator / denominator, of the two figures' medians. */
export interface Ratio {
  name: string;
  label: string;
  numerator: string;
  denominator: string;
}

/** A group of figures sharing a setup (keys, a core, child processes). */
export interface Suite {
  name: string;
  setup(scale: number): Promise<{ figures: Figure[]; ratios: Ratio[]; teardown(): Promise<void> }>;
}

export interface Stats {
  median_ms: number;
  p99_ms: number;
  mean_ms: number;
  min_ms: number;
  iterations: number;
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

/** Warms up, then times each of `iterations` calls; answers the samples in ms. */
export async function measure(figure: Figure): Promise<number[]> {
  for (let i = 0; i < figure.warmup; i++) await figure.run();
  const samples: number[] = [];
  for (let i = 0; i < figure.iterations; i++) {
    const start = process.hrtime.bigint();
    await figure.run();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples;
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

const round = (x: number, digits = 3) => Number(x.toFixed(digits));

export function rounded(stats: Stats): Stats {
  return {
    median_ms: round(stats.median_ms),
    p99_ms: round(stats.p99_ms),
    mean_ms: round(stats.mean_ms),
    min_ms: round(stats.min_ms),
    iterations: stats.iterations,
  };
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

export const ms = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '–');
