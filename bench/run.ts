import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  machine,
  ms,
  rounded,
  statsOf,
  table,
  type Ratio,
  type Stats,
  type Suite,
} from './harness';
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

const figures = new Map<string, Stats>();
const labels = new Map<string, string>();
const ratios: Ratio[] = [];
const context = new BenchContext();

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

const ratioValues = new Map(
  ratios.map((r) => {
    const metric = r.metric ?? 'median_ms';
    const value =
      (figures.get(r.numerator)?.[metric] ?? NaN) / (figures.get(r.denominator)?.[metric] ?? NaN);
    return [r.name, Number(value.toFixed(3))];
  }),
);

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
    ['ratio', 'key', '×'],
    ratios.map((r) => [r.label, r.name, (ratioValues.get(r.name) ?? NaN).toFixed(2)]),
  ),
);

const path = join(import.meta.dirname, 'results.json');
// One suite's run replaces that suite's figures and keeps every other one, so
// `--suite NAME` never erases the rest of the last full run.
const kept = only === undefined ? { figures: {}, ratios: {} } : await previousResults(path);
const results = {
  machine: machine(),
  date: new Date().toISOString(),
  figures: {
    ...kept.figures,
    ...Object.fromEntries([...figures].map(([name, s]) => [name, rounded(s)])),
  },
  ratios: { ...kept.ratios, ...Object.fromEntries(ratioValues) },
};
await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote ${path}`);

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
