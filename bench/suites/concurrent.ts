import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  elapsedMs,
  median,
  percentile,
  type SampledFigure,
  type Stats,
  type Suite,
} from '../harness';
import { toolText, type BenchContext } from '../support/bench-context';

// 200 tool calls in flight at once from one MCP client, as an agent that fans
// out would send them: each call's latency, the calls answered per second
// over the whole burst, and the calls that failed (there must be none). The
// peer is the same burst against the SDK's bare stdio server.

const IN_FLIGHT = 200;

async function burst(
  client: Client,
): Promise<{ latencies: number[]; errors: number; wallMs: number }> {
  const started = process.hrtime.bigint();
  const outcomes = await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      const start = process.hrtime.bigint();
      try {
        await toolText(client, 'list_credentials', {});
        return { ms: elapsedMs(start), ok: true };
      } catch {
        return { ms: elapsedMs(start), ok: false };
      }
    }),
  );
  return {
    latencies: outcomes.map((o) => o.ms),
    errors: outcomes.filter((o) => !o.ok).length,
    wallMs: elapsedMs(started),
  };
}

function burstFigure(name: string, label: string, client: Client, rounds: number): SampledFigure {
  return {
    kind: 'sampled',
    name,
    label,
    async sample(): Promise<Stats> {
      await burst(client);
      const latencies: number[] = [];
      const rates: number[] = [];
      let errors = 0;
      for (let round = 0; round < rounds; round++) {
        const result = await burst(client);
        latencies.push(...result.latencies);
        rates.push(IN_FLIGHT / (result.wallMs / 1000));
        errors += result.errors;
      }
      latencies.sort((a, b) => a - b);
      return {
        median_ms: median(latencies),
        p99_ms: percentile(latencies, 99),
        iterations: latencies.length,
        errors,
        per_s: median(rates.sort((a, b) => a - b)),
      };
    },
  };
}

export const concurrentSuite: Suite<BenchContext> = {
  name: 'concurrent',
  async setup(scale, context) {
    const agent = await context.agent();
    const bare = await context.bare(await toolText(agent, 'list_credentials', {}));
    const rounds = Math.max(2, Math.round(10 * scale));
    return {
      figures: [
        burstFigure(
          'concurrent_200',
          `${IN_FLIGHT} list_credentials calls at once through the bridge`,
          agent,
          rounds,
        ),
        burstFigure(
          'bare_stdio_concurrent_200',
          `${IN_FLIGHT} calls at once to a bare SDK stdio server`,
          bare,
          rounds,
        ),
      ],
      ratios: [
        {
          name: 'concurrent_200/bare_stdio_concurrent_200',
          label: 'calls a second, bridge / bare stdio server',
          numerator: 'concurrent_200',
          denominator: 'bare_stdio_concurrent_200',
          metric: 'per_s',
        },
        {
          name: 'concurrent_200/durable_floor',
          label: 'median latency in the burst / the floor',
          numerator: 'concurrent_200',
          denominator: 'durable_floor',
        },
      ],
      teardown: async () => {},
    };
  },
};
