import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { connectToCore, type CoreConnection } from '../../electron/headless/cli/client';
import { GnuPG, type GpgAlgorithm } from '../../test/support/gpg';
import type { SuiteContext } from '../harness';
import { childWith } from './process-memory';

// What the agent-facing suites share in one run, each part started on first
// use: a headless core in its own process (bench/servers/bench-core.ts) with
// 20 API keys and the PGP plugin installed from the bundled catalog, MCP
// clients through the bundled bridge, bare SDK stdio servers as peers (one
// answering from memory, one after a durable append in a second process: the
// floor), and a throwaway GnuPG whose keys are also saved in the vault.

const ROOT = join(import.meta.dirname, '..', '..');
const BRIDGE = join(ROOT, 'out', 'bridge', 'custodian-mcp.js');
const BARE = join(ROOT, 'bench', 'servers', 'bare-mcp-server.mjs');
const FLOOR = join(ROOT, 'bench', 'servers', 'durable-mcp-server.mjs');
const CORE = join(ROOT, 'bench', 'servers', 'bench-core.ts');
const HOST_ENTRY = 'plugin-host';
export const API_KEYS = 20;
export const PGP_PLUGIN = 'pgp-signing';

export interface ServedCore {
  dataDir: string;
  pid: number;
  /** The socket the CLI uses: installs, credentials. */
  admin: CoreConnection;
  /** The plugin host, once a plugin has started it. */
  hostPid(): Promise<number | undefined>;
}

export interface PgpKey {
  fingerprint: string;
  armoredKey: string;
  /** The credential it is saved as. */
  credential: string;
}

export class BenchContext implements SuiteContext {
  private served?: Promise<ServedCore>;
  private gnupg?: Promise<GnuPG>;
  private readonly keys = new Map<string, Promise<PgpKey>>();
  private readonly clients: Client[] = [];
  private child?: ChildProcess;
  private dataDir?: string;
  private readonly scratch: string[] = [];
  private admin?: CoreConnection;

  core(): Promise<ServedCore> {
    return (this.served ??= this.startCore());
  }

  gpg(): Promise<GnuPG> {
    return (this.gnupg ??= GnuPG.create('bench-gpg'));
  }

  /** A gpg-made key, unprotected (no figure pays for S2K), saved in the vault as bench-NAME. */
  pgpKey(algorithm: GpgAlgorithm): Promise<PgpKey> {
    let key = this.keys.get(algorithm);
    if (!key) {
      key = this.makeKey(algorithm);
      this.keys.set(algorithm, key);
    }
    return key;
  }

  /** A new MCP client through the bundled bridge, as Claude Desktop starts it. */
  async agent(): Promise<Client> {
    const { dataDir } = await this.core();
    return this.connect([BRIDGE, '--data', dataDir]);
  }

  /** The SDK's bare stdio server answering list_credentials with `text` from memory. */
  bare(text: string): Promise<Client> {
    return this.connect([BARE, text]);
  }

  /**
   * durable_floor's server: the bare SDK server answering `text` after one
   * round trip to a second process that appends a line and fsyncs it.
   */
  async floor(text: string): Promise<Client> {
    // Short, in the temp folder as the core's is: a Unix socket path is capped near 100 bytes.
    const folder = await mkdtemp(join(tmpdir(), 'cfloor-'));
    this.scratch.push(folder);
    return this.connect([FLOOR, text, folder]);
  }

  async close(): Promise<void> {
    for (const client of this.clients) await client.close().catch(() => {});
    await this.admin?.close().catch(() => {});
    if (this.child && this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child?.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    if (this.gnupg) await (await this.gnupg).close();
    if (this.dataDir) await rm(this.dataDir, { recursive: true, force: true });
    for (const folder of this.scratch) await rm(folder, { recursive: true, force: true });
  }

  private async connect(args: string[]): Promise<Client> {
    const client = new Client({ name: 'bench-agent', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({ command: process.execPath, args, stderr: 'ignore' }),
    );
    this.clients.push(client);
    return client;
  }

  private async startCore(): Promise<ServedCore> {
    for (const [what, path, command] of [
      ['out/bridge', BRIDGE, 'npm run build:bridge'],
      ['out/store', join(ROOT, 'out', 'store', 'catalog.json'), 'npm run store:build'],
    ] as const)
      if (!existsSync(path)) throw new Error(`${what} is not built: run ${command}`);
    // Short: Unix socket paths are capped near 100 bytes.
    const dataDir = (this.dataDir = await mkdtemp(join(tmpdir(), 'cbench-')));
    const child = (this.child = fork(CORE, [dataDir], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }));
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) =>
        reject(new Error(`bench-core exited (${code}) before it was ready`)),
      );
    });
    const pid = child.pid ?? NaN;
    const admin = (this.admin = await connectToCore(dataDir));
    for (let i = 0; i < API_KEYS; i++) {
      await admin.call('credentials:add', {
        type: 'api_key',
        name: `service-${String(i).padStart(2, '0')}`,
        description: `Bench credential ${i}`,
        fields: { key: `bench-key-${i}-${'x'.repeat(24)}`, allowed_hosts: 'api.example.com' },
      });
    }
    await installFromCatalogs(admin, PGP_PLUGIN);
    return { dataDir, pid, admin, hostPid: () => childWith(pid, HOST_ENTRY) };
  }

  private async makeKey(algorithm: GpgAlgorithm): Promise<PgpKey> {
    const [gpg, core] = [await this.gpg(), await this.core()];
    const fingerprint = await gpg.generateKey({
      userId: `Bench ${algorithm} <bench-${algorithm}@custodian.test>`,
      algorithm,
    });
    const armoredKey = await gpg.exportSecretKeyArmored(fingerprint);
    const credential = `bench-${algorithm}`;
    await core.admin.call('credentials:add', {
      type: 'pgp_key',
      name: credential,
      fields: { private_key: armoredKey },
    });
    return { fingerprint, armoredKey, credential };
  }
}

/** `custodian plugin install NAME`: from the catalogs, signed, nothing more granted than listed. */
export async function installFromCatalogs(admin: CoreConnection, name: string): Promise<void> {
  await admin.call('plugins:install', {
    source: { kind: 'name', name },
    allowUnsigned: false,
    allowDowngrade: false,
    acceptChanges: false,
  });
}

/** The text of a tool's answer; a tool that answered an error throws it (its text names no secret). */
export async function toolText(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<string> {
  const result = await client.callTool({ name, arguments: args });
  const text = (result.content as { type: string; text?: string }[])[0]?.text ?? '';
  if (result.isError) throw new Error(`${name} failed: ${text.slice(0, 200)}`);
  return text;
}
