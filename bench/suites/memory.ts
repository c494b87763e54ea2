import type { SampledFigure, Suite } from '../harness';
import type { BenchContext } from '../support/bench-context';
import { idleNode, rssMiB, settledRss } from '../support/process-memory';

// Resident memory of the headless core's process and of its plugin host, idle
// (vault open, 20 API keys, the PGP plugin loaded, nothing in flight) and
// after every other agent figure has run. The peers are idle Node processes
// started the same way: with the tsx loader for the core (it runs from source
// here), plain for the host (it runs the built bundle).

function rssFigure(
  name: string,
  label: string,
  pid: () => Promise<number | undefined>,
): SampledFigure {
  return {
    kind: 'sampled',
    name,
    label,
    async sample() {
      const id = await pid();
      if (id === undefined) throw new Error(`${label}: no such process is running`);
      return { rss_mb: await settledRss(id) };
    },
  };
}

export const memoryIdleSuite: Suite<BenchContext> = {
  name: 'memory-idle',
  async setup(_scale, context) {
    const core = await context.core();
    if ((await core.hostPid()) === undefined)
      throw new Error('the plugin host is not running after the PGP plugin was installed');
    const [nodeWithLoader, plainNode] = [await idleNode(['--import', 'tsx']), await idleNode()];
    return {
      figures: [
        rssFigure('rss_main_idle', 'headless core, idle', async () => core.pid),
        rssFigure('rss_host_idle', 'plugin host, PGP plugin loaded, idle', core.hostPid),
        rssFigure('rss_node_tsx_idle', 'an idle node --import tsx', async () => nodeWithLoader.pid),
        rssFigure('rss_node_idle', 'an idle node', async () => plainNode.pid),
      ],
      ratios: [
        {
          name: 'rss_main_idle/rss_node_tsx_idle',
          label: 'memory, core / idle node with tsx',
          numerator: 'rss_main_idle',
          denominator: 'rss_node_tsx_idle',
          metric: 'rss_mb',
        },
        {
          name: 'rss_host_idle/rss_node_idle',
          label: 'memory, plugin host / idle node',
          numerator: 'rss_host_idle',
          denominator: 'rss_node_idle',
          metric: 'rss_mb',
        },
      ],
      teardown: async () => {
        nodeWithLoader.kill();
        plainNode.kill();
      },
    };
  },
};

/** Run after the load: the core's memory, with the host's beside it. */
export const memoryAfterLoadSuite: Suite<BenchContext> = {
  name: 'memory-after-load',
  async setup(_scale, context) {
    const core = await context.core();
    return {
      figures: [
        {
          kind: 'sampled',
          name: 'rss_after_load',
          label: 'headless core after the runs above (host beside it)',
          async sample() {
            const hostPid = await core.hostPid();
            return {
              rss_mb: await settledRss(core.pid),
              host_mb: hostPid === undefined ? NaN : await rssMiB(hostPid),
            };
          },
        },
      ],
      ratios: [
        {
          name: 'rss_after_load/rss_main_idle',
          label: 'memory, core after load / idle',
          numerator: 'rss_after_load',
          denominator: 'rss_main_idle',
          metric: 'rss_mb',
        },
      ],
      teardown: async () => {},
    };
  },
};
