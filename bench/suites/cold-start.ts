import { randomBytes } from 'node:crypto';
import type { Suite } from '../harness';
import {
  installFromCatalogs,
  PGP_PLUGIN,
  toolText,
  type BenchContext,
} from '../support/bench-context';

// From installing a plugin's archive to its first successful call, as an
// operator and then an agent see it: `plugins:install` of pgp-signing from the
// bundled catalog over the socket (the archive read, its size, hash and
// signature checked, every entry checked, the module compiled and its imports
// checked, the files staged and renamed, the host loading it), then pgp_sign
// through the bridge with a key already in the vault. Before each run, and
// untimed, the plugin is removed. The peer is the same call once warm
// (pgp_sign_ed25519, from the pgp-sign suite).

export const coldStartSuite: Suite<BenchContext> = {
  name: 'cold-start',
  async setup(scale, context) {
    const core = await context.core();
    const agent = await context.agent();
    const { credential } = await context.pgpKey('ed25519');
    const data = randomBytes(1024).toString('base64');
    const sign = () =>
      toolText(agent, 'pgp_sign', { credential, data, encoding: 'base64', hash: 'sha512' });
    await sign();
    return {
      figures: [
        {
          name: 'plugin_cold_start',
          label: 'install pgp-signing, then the first pgp_sign',
          warmup: 1,
          iterations: Math.max(3, Math.round(20 * scale)),
          before: () => core.admin.call('plugins:remove', { name: PGP_PLUGIN }),
          async run() {
            await installFromCatalogs(core.admin, PGP_PLUGIN);
            await sign();
          },
        },
      ],
      ratios: [
        {
          name: 'plugin_cold_start/pgp_sign_ed25519',
          label: 'cold start / a warm pgp_sign',
          numerator: 'plugin_cold_start',
          denominator: 'pgp_sign_ed25519',
        },
        {
          name: 'plugin_cold_start-durable_floor',
          label: 'cold start − the floor (ms)',
          numerator: 'plugin_cold_start',
          denominator: 'durable_floor',
          kind: 'difference',
        },
      ],
      teardown: async () => {},
    };
  },
};
