import type { Suite } from '../harness';
import { API_KEYS, toolText, type BenchContext } from '../support/bench-context';

// A list_credentials round trip as an MCP client sees it: through the bundled
// bridge (stdio, the local socket, the core's policy check, its audit entry
// written durably, the listing), beside the SDK's bare stdio server answering
// the same text from memory, and durable_floor: the same bare server after one
// round trip to a second process that appends a line and fsyncs it. The floor
// is what every agent figure is set beside: a call that is on record before
// its answer cannot cost less on this machine.

export const bridgeSuite: Suite<BenchContext> = {
  name: 'bridge',
  async setup(scale, context) {
    const agent = await context.agent();
    const list = () => toolText(agent, 'list_credentials', {});
    const text = await list();
    const bare = await context.bare(text);
    const floor = await context.floor(text);
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
        {
          name: 'durable_floor',
          label: 'the bare server after one durable append in a second process (the floor)',
          warmup: 20,
          iterations,
          run: () => toolText(floor, 'list_credentials', {}),
        },
      ],
      ratios: [
        {
          name: 'bridge_list_credentials/bare_stdio',
          label: 'bridge / bare stdio server',
          numerator: 'bridge_list_credentials',
          denominator: 'bare_stdio',
        },
        {
          name: 'bridge_list_credentials/durable_floor',
          label: 'bridge / the floor',
          numerator: 'bridge_list_credentials',
          denominator: 'durable_floor',
        },
        {
          name: 'bridge_list_credentials-durable_floor',
          label: 'bridge − the floor (ms)',
          numerator: 'bridge_list_credentials',
          denominator: 'durable_floor',
          kind: 'difference',
        },
        {
          name: 'durable_floor-bare_stdio',
          label: 'the floor − bare stdio: one durable append a hop away (ms)',
          numerator: 'durable_floor',
          denominator: 'bare_stdio',
          kind: 'difference',
        },
      ],
      teardown: async () => {},
    };
  },
};
