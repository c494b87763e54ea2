import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { KDF_FLOOR } from '../../electron/core/crypto/argon2';
import { NoKeyStore } from '../../electron/core/keychain/key-store';
import { createHeadlessCore } from '../../electron/headless/headless-core';
import type { Figure, Suite } from '../harness';

// A list_credentials round trip as an MCP client sees it: through the bundled
// bridge (stdio, the local socket, the core's policy check, two audit entries
// written durably, the listing), beside the SDK's bare stdio server answering
// the same text from memory in the same run.

const ROOT = join(import.meta.dirname, '..', '..');
const BRIDGE = join(ROOT, 'out', 'bridge', 'custodian-mcp.js');
const BARE = join(ROOT, 'bench', 'servers', 'bare-mcp-server.mjs');
const CREDENTIALS = 20;

async function connect(args: string[]): Promise<Client> {
  const client = new Client({ name: 'bench-agent', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({ command: process.execPath, args, stderr: 'ignore' }),
  );
  return client;
}

export const bridgeSuite: Suite = {
  name: 'bridge',
  async setup(scale) {
    if (!existsSync(BRIDGE)) throw new Error('out/bridge is not built: run npm run build:bridge');
    // Short: Unix socket paths are capped near 100 bytes.
    const dataDir = await mkdtemp(join(tmpdir(), 'cbench-'));
    const core = await createHeadlessCore({
      dataDir,
      keyStore: new NoKeyStore(),
      kdfCost: { ...KDF_FLOOR },
      // The per-tool rate limit guards a person from a runaway agent; here it would stop the run.
      rateLimit: { limit: { perMinute: 60_000, burst: 10_000 } },
    });
    const clients: Client[] = [];
    const teardown = async () => {
      for (const client of clients) await client.close().catch(() => {});
      await core.close();
      await rm(dataDir, { recursive: true, force: true });
    };
    try {
      const created = await core.dispatch('vault:create', {});
      if ('error' in created) throw new Error(created.error.message);
      for (let i = 0; i < CREDENTIALS; i++) {
        const saved = await core.dispatch('credentials:create', {
          type: 'api_key',
          name: `service-${String(i).padStart(2, '0')}`,
          description: `Bench credential ${i}`,
          fields: { key: `bench-key-${i}-${'x'.repeat(24)}`, allowed_hosts: 'api.example.com' },
        });
        if ('error' in saved) throw new Error(saved.error.message);
      }
      await core.startBridge();
      const viaBridge = await connect([BRIDGE, '--data', dataDir]);
      clients.push(viaBridge);
      const first = await viaBridge.callTool({ name: 'list_credentials', arguments: {} });
      if (first.isError) throw new Error(`list_credentials failed: ${JSON.stringify(first)}`);
      const text = (first.content as { text: string }[])[0]?.text ?? '';
      const bare = await connect([BARE, text]);
      clients.push(bare);

      const iterations = Math.max(20, Math.round(500 * scale));
      const call = (client: Client) => async () => {
        const result = await client.callTool({ name: 'list_credentials', arguments: {} });
        if (result.isError) throw new Error('list_credentials failed');
      };
      const figures: Figure[] = [
        {
          name: 'bridge_list_credentials',
          label: `list_credentials through the bridge (${CREDENTIALS} credentials)`,
          warmup: 20,
          iterations,
          run: call(viaBridge),
        },
        {
          name: 'bare_stdio',
          label: 'the same answer from a bare SDK stdio server',
          warmup: 20,
          iterations,
          run: call(bare),
        },
      ];
      return {
        figures,
        ratios: [
          {
            name: 'bridge_list_credentials/bare_stdio',
            label: 'bridge / bare stdio server',
            numerator: 'bridge_list_credentials',
            denominator: 'bare_stdio',
          },
        ],
        teardown,
      };
    } catch (error) {
      await teardown();
      throw error;
    }
  },
};
