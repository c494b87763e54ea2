import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  machine,
  measure,
  ms,
  rounded,
  summarise,
  table,
  type Ratio,
  type Stats,
  type Suite,
} from './harness';
import { bridgeSuite } from './suites/bridge';
import { pgpSignSuite } from './suites/pgp-sign';

// `npm run bench [-- --quick] [-- --suite NAME]`: runs every suite (or one),
// prints each figure's median and p99 and the ratios between figures, and
// writes bench/results.json. Not part of `npm test`; nothing here asserts times.
// Add a figure by adding a Suite to SUITES.

const SUITES: Suite[] = [bridgeSuite, pgpSignSuite];

const args = process.argv.slice(2);
const scale = args.includes('--quick') ? 0.1 : 1;
const only = args.includes('--suite') ? args[args.indexOf('--suite') + 1] : undefined;

const figures = new Map<string, Stats>();
const labels = new Map<string, string>();
const ratios: Ratio[] = [];

for (const suite of SUITES.filter((s) => !only || s.name === only)) {
  console.log(`── ${suite.name}: setting up`);
  const { figures: list, ratios: suiteRatios, teardown } = await suite.setup(scale);
  try {
    for (const figure of list) {
      process.stdout.write(
        `   ${figure.label}: ${figure.warmup} warm-up, ${figure.iterations} timed … `,
      );
      const stats = summarise(await measure(figure));
      figures.set(figure.name, stats);
      labels.set(figure.name, figure.label);
      console.log(`median ${ms(stats.median_ms)} ms`);
    }
    ratios.push(...suiteRatios);
  } finally {
    await teardown();
  }
}

const medianOf = (name: string) => figures.get(name)?.median_ms ?? NaN;
const ratioValues = new Map(
  ratios.map((r) => [r.name, Number((medianOf(r.numerator) / medianOf(r.denominator)).toFixed(3))]),
);

console.log('');
console.log(
  table(
    ['figure', 'key', 'median ms', 'p99 ms', 'n'],
    [...figures].map(([name, s]) => [
      labels.get(name) ?? name,
      name,
      ms(s.median_ms),
      ms(s.p99_ms),
      String(s.iterations),
    ]),
  ),
);
console.log('');
console.log(
  table(
    ['ratio of medians', 'key', '×'],
    ratios.map((r) => [r.label, r.name, (ratioValues.get(r.name) ?? NaN).toFixed(2)]),
  ),
);

const results = {
  machine: machine(),
  date: new Date().toISOString(),
  figures: Object.fromEntries([...figures].map(([name, s]) => [name, rounded(s)])),
  ratios: Object.fromEntries(ratioValues),
};
const path = join(import.meta.dirname, 'results.json');
await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote ${path}`);
