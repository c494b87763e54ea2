import type { Suite } from '../harness';
import { API_KEYS, toolText, type BenchContext } from '../support/bench-context';

// A list_credentials round trip as an MCP client sees it: through the bundled
// bridge (stdio, the local socket, the core's policy check, two audit entries
// written durably, the listing), beside the SDK's bare stdio server answering
// the same text from memory in the same run.

export const bridgeSuite: Suite<BenchContext> = {
  name: 'bridge',
  async setup(scale, context) {
    const agent = await context.agent();
    const list = () => toolText(agent, 'list_credentials', {});
    const bare = await context.bare(await list());
    const iterations = Math.max(20, Math.round(500 * scale));
    return {
      figures: [
        {
          name: 'bridge_list_credentials',
          label: `list_credentials through the bridge (${API_KEYS} credentials)`,
          warmup: 20,
          iterations,
          run: list,
        },
        {
          name: 'bare_stdio',
          label: 'the same answer from a bare SDK stdio server',
          warmup: 20,
          iterations,
          run: () => toolText(bare, 'list_credentials', {}),
        },
      ],
      ratios: [
        {
          name: 'bridge_list_credentials/bare_stdio',
          label: 'bridge / bare stdio server',
          numerator: 'bridge_list_credentials',
          denominator: 'bare_stdio',
        },
      ],
      teardown: async () => {},
    };
  },
};
