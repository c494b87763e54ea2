import { readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import {
  machine,
  ms,
  ratioValue,
  rounded,
  statsOf,
  table,
  targetResult,
  type Ratio,
  type Stats,
  type Suite,
} from './harness';
import { TARGETS } from './targets';
import { BenchContext } from './support/bench-context';
import { bridgeSuite } from './suites/bridge';
import { cliStartSuite } from './suites/cli-start';
import { coldStartSuite } from './suites/cold-start';
import { concurrentSuite } from './suites/concurrent';
import { memoryAfterLoadSuite, memoryIdleSuite } from './suites/memory';
import { pgpSignSuite } from './suites/pgp-sign';
import { vaultSuite } from './suites/vault';

// `npm run bench [-- --quick] [-- --suite NAME]`: runs every suite (or one),
// prints each figure beside its peer and the ratios between them, and writes
// bench/results.json. Not part of `npm test`; nothing here asserts times.
// Add a figure by adding a Suite to SUITES; the order matters, since the
// agent suites share one core: memory is read idle first and after the load.

const SUITES: Suite<BenchContext>[] = [
  memoryIdleSuite,
  bridgeSuite,
  pgpSignSuite,
  concurrentSuite,
  coldStartSuite,
  memoryAfterLoadSuite,
  vaultSuite,
  cliStartSuite,
];

const args = process.argv.slice(2);
const scale = args.includes('--quick') ? 0.1 : 1;
const only = args.includes('--suite') ? args[args.indexOf('--suite') + 1] : undefined;
if (only && !SUITES.some((s) => s.name === only))
  throw new Error(`no suite ${only}: one of ${SUITES.map((s) => s.name).join(', ')}`);

// What this run measured; a one-suite run adds the last full run's other figures below.
const figures = new Map<string, Stats>();
const labels = new Map<string, string>();
const ratios: Ratio[] = [];
const context = new BenchContext();
// Other work on the machine moves every figure: the run says how busy it was.
const loadAtStart = loadavg()[0] ?? NaN;

try {
  for (const suite of SUITES.filter((s) => !only || s.name === only)) {
    console.log(`── ${suite.name}: setting up`);
    const { figures: list, ratios: suiteRatios, teardown } = await suite.setup(scale, context);
    try {
      for (const figure of list) {
        process.stdout.write(
          figure.kind === 'sampled'
            ? `   ${figure.label} … `
            : `   ${figure.label}: ${figure.warmup} warm-up, ${figure.iterations} timed … `,
        );
        const stats = await statsOf(figure);
        figures.set(figure.name, stats);
        labels.set(figure.name, figure.label);
        console.log(summary(stats));
      }
      ratios.push(...suiteRatios);
    } finally {
      await teardown();
    }
  }
} finally {
  await context.close();
}

function summary(stats: Stats): string {
  if (stats.rss_mb !== undefined) return `${ms(stats.rss_mb)} MiB`;
  const rate = stats.per_s === undefined ? '' : `, ${Math.round(stats.per_s)}/s`;
  const errors = stats.errors === undefined ? '' : `, ${stats.errors} errors`;
  return `median ${ms(stats.median_ms)} ms${rate}${errors}`;
}

const path = join(import.meta.dirname, 'results.json');
// One suite's run replaces that suite's figures and keeps every other one, so
// `--suite NAME` never erases the rest of the last full run; its ratios and
// targets are worked out over both (the floor, say, from the last full run).
const kept = only === undefined ? { figures: {}, ratios: {} } : await previousResults(path);
const allFigures = new Map<string, Stats>([
  ...(Object.entries(kept.figures) as [string, Stats][]),
  ...figures,
]);
const ratioValues = new Map(ratios.map((r) => [r.name, ratioValue(r, allFigures)]));
const allRatios = new Map<string, number>([
  ...(Object.entries(kept.ratios) as [string, number][]),
  ...ratioValues,
]);
const targets = TARGETS.map((t) => [t.name, targetResult(t, allFigures, allRatios)] as const);

const extra = (s: Stats): string =>
  [
    s.per_s === undefined ? '' : `${Math.round(s.per_s)}/s`,
    s.errors === undefined ? '' : `${s.errors} errors`,
    s.rss_mb === undefined ? '' : `${ms(s.rss_mb)} MiB`,
    s.host_mb === undefined ? '' : `host ${ms(s.host_mb)} MiB`,
  ]
    .filter(Boolean)
    .join(', ');

console.log('');
console.log(
  table(
    ['figure', 'key', 'median ms', 'p99 ms', 'n', ''],
    [...figures].map(([name, s]) => [
      labels.get(name) ?? name,
      name,
      ms(s.median_ms),
      ms(s.p99_ms),
      s.iterations === undefined ? '' : String(s.iterations),
      extra(s),
    ]),
  ),
);
console.log('');
console.log(
  table(
    ['ratio (×) or difference (ms)', 'key', 'value'],
    ratios.map((r) => [r.label, r.name, (ratioValues.get(r.name) ?? NaN).toFixed(2)]),
  ),
);
console.log('');
console.log(
  table(
    ['target', 'value', 'limit', ''],
    targets.map(([, t]) => [t.label, t.value.toFixed(2), t.limit, t.met ? 'met' : 'NOT met']),
  ),
);

const results = {
  machine: machine(),
  date: new Date().toISOString(),
  /** The 1-minute load average as the run started and ended. */
  load: { start: Number(loadAtStart.toFixed(2)), end: Number((loadavg()[0] ?? NaN).toFixed(2)) },
  figures: {
    ...kept.figures,
    ...Object.fromEntries([...figures].map(([name, s]) => [name, rounded(s)])),
  },
  ratios: Object.fromEntries(allRatios),
  targets: Object.fromEntries(targets),
};
await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote ${path} (load average ${results.load.start} → ${results.load.end})`);

async function previousResults(
  file: string,
): Promise<{ figures: Record<string, unknown>; ratios: Record<string, unknown> }> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as {
      figures?: Record<string, unknown>;
      ratios?: Record<string, unknown>;
    };
    return { figures: parsed.figures ?? {}, ratios: parsed.ratios ?? {} };
  } catch {
    return { figures: {}, ratios: {} };
  }
}
