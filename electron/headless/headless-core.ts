import { existsSync, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApprovalMode } from '../core/agents/agent-service';
import type { KdfCost } from '../core/crypto/argon2';
import { createCore, type Core, type CoreOptions } from '../core/create-core';
import type { KeyStore } from '../core/keychain/key-store';
import { KeytarKeyStore } from '../core/keychain/keytar-key-store';
import type { HostLauncher } from '../core/plugins/host-transport';
import { loadBundledStore } from '../core/store/bundled-store';
import type { StoreOptions } from '../core/store/store-options';
import { forkHostLauncher } from './fork-host-launcher';

export interface HeadlessOptions {
  dataDir: string;
  /** Defaults to the OS keychain through keytar. */
  keyStore?: KeyStore;
  /** keytar service name; tests use their own so they never touch a real "Custodian" entry. */
  keychainService?: string;
  kdfCost?: KdfCost;
  launchPluginHost?: HostLauncher;
  /** Reload plugins whose files change (for plugin authors). */
  watchPlugins?: boolean;
  /** Observes each save's steps (the crash test kills the process at each). */
  onSaveStep?: CoreOptions['onSaveStep'];
  /** Headless by default: ask-tools pass only when listed (serve --allow-tools). */
  approvals?: ApprovalMode;
  /** The admin channel: closed headless unless serve --admin opens it; 'ask' with window approvals. */
  admin?: CoreOptions['admin'];
  /** Claude Desktop's config location as seen from another home (tests); this machine's by default. */
  claude?: { platform: string; env: Record<string, string | undefined>; homedir: string };
  rateLimit?: CoreOptions['rateLimit'];
  audit?: CoreOptions['audit'];
  now?: CoreOptions['now'];
  monotonic?: CoreOptions['monotonic'];
  folderCheckMs?: CoreOptions['folderCheckMs'];
  /** The file-system port (Node's by default); fault tests wrap it to inject disk errors. */
  fs?: CoreOptions['fs'];
  tools?: CoreOptions['tools'];
  /**
   * The plugin store. By default the bundled catalog is out/store (from
   * `npm run store:build`), and CUSTODIAN_STORE_ALLOW_PRIVATE lists the
   * "host:port" pairs a test's own server may be reached at over plain http.
   */
  store?: StoreOptions;
  /** Where "Install in Claude Desktop (.mcpb)" saves; the bundle is out/mcpb/custodian.mcpb. */
  pickBundleTarget?: () => Promise<string | null>;
}

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The first-party catalog and archives `npm run store:build` writes. */
export const HEADLESS_STORE = join(REPO, 'out', 'store');

/** Headless, MCP clients start the built bridge with this very Node. */
export const HEADLESS_BRIDGE = join(REPO, 'out', 'bridge', 'custodian-mcp.js');

/** The MCP Bundle `npm run build` writes. */
export const HEADLESS_MCPB = join(REPO, 'out', 'mcpb', 'custodian.mcpb');

async function appVersion(): Promise<string> {
  const path = join(REPO, 'package.json');
  return (JSON.parse(await readFile(path, 'utf8')) as { version: string }).version;
}

/**
 * The Node composition root: the same core as the app, with Node adapters and
 * no window. Tests, benchmarks and `custodian serve` start here.
 */
export async function createHeadlessCore(options: HeadlessOptions): Promise<Core> {
  return createCore({
    dataDir: options.dataDir,
    keyStore: options.keyStore ?? new KeytarKeyStore(options.keychainService),
    kdfCost: options.kdfCost,
    log: (message) => process.stderr.write(`[custodian] ${message}\n`),
    launchPluginHost: options.launchPluginHost ?? forkHostLauncher(),
    appVersion: await appVersion(),
    watch: options.watchPlugins ? watch : undefined,
    onSaveStep: options.onSaveStep,
    approvals: options.approvals,
    admin: options.admin,
    bridgeCommand: { command: process.execPath, args: [HEADLESS_BRIDGE] },
    claudeLocation: options.claude ? { ...options.claude, exists: existsSync } : undefined,
    rateLimit: options.rateLimit,
    audit: options.audit,
    now: options.now,
    monotonic: options.monotonic,
    folderCheckMs: options.folderCheckMs,
    fs: options.fs,
    tools: options.tools,
    claudeBundle: {
      path: HEADLESS_MCPB,
      pickSaveTarget: options.pickBundleTarget ?? (async () => null),
    },
    store: {
      bundled:
        options.store && 'bundled' in options.store
          ? options.store.bundled
          : await loadBundledStore(HEADLESS_STORE),
      allowPrivate: options.store?.allowPrivate ?? allowPrivateFromEnv(),
      pickFile: options.store?.pickFile,
    },
  });
}

function allowPrivateFromEnv(): string[] {
  const value = process.env.CUSTODIAN_STORE_ALLOW_PRIVATE ?? '';
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}
