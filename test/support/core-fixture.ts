import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { KDF_FLOOR } from '../../electron/core/crypto/argon2';
import type { Core } from '../../electron/core/create-core';
import { createHeadlessCore, type HeadlessOptions } from '../../electron/headless/headless-core';
import { KeytarKeyStore } from '../../electron/core/keychain/keytar-key-store';
import type { KeyStore } from '../../electron/core/keychain/key-store';

// A real core on a temporary data folder, with the real keychain under a
// keychain service name of its own. Tests run inside test/support/with-keyring.sh,
// so the keychain is a private gnome-keyring, never the person's.

/** The cheapest cost the vault accepts: tests exercise the KDF, not its strength. */
export const TEST_KDF_COST = { ...KDF_FLOOR };

export interface CoreFixture {
  core: Core;
  dataDir: string;
  keychainService: string;
  keyStore: KeyStore;
  cleanup(): Promise<void>;
}

export async function makeTempDir(prefix = 'custodian-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function startCore(
  options: {
    dataDir?: string;
    keyStore?: KeyStore;
    keychainService?: string;
    watchPlugins?: boolean;
    store?: HeadlessOptions['store'];
    fs?: HeadlessOptions['fs'];
    approvals?: HeadlessOptions['approvals'];
    now?: HeadlessOptions['now'];
    monotonic?: HeadlessOptions['monotonic'];
    rateLimit?: HeadlessOptions['rateLimit'];
    folderCheckMs?: HeadlessOptions['folderCheckMs'];
  } = {},
): Promise<CoreFixture> {
  const dataDir = options.dataDir ?? (await makeTempDir());
  const keychainService = options.keychainService ?? `custodian-test-${randomUUID()}`;
  const keyStore = options.keyStore ?? new KeytarKeyStore(keychainService);
  const core = await createHeadlessCore({
    dataDir,
    keyStore,
    kdfCost: TEST_KDF_COST,
    watchPlugins: options.watchPlugins,
    store: options.store,
    fs: options.fs,
    approvals: options.approvals,
    now: options.now,
    monotonic: options.monotonic,
    rateLimit: options.rateLimit,
    folderCheckMs: options.folderCheckMs,
  });
  return {
    core,
    dataDir,
    keychainService,
    keyStore,
    async cleanup() {
      // Closed, not only locked: the plugin host, the watcher and the socket end with the test.
      await core.close();
      for (const { account } of await keytar.findCredentials(keychainService).catch(() => [])) {
        await keytar.deletePassword(keychainService, account);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Unwraps an IPC envelope, failing the test with the error's code and message. */
export function resultOf<T>(
  envelope: { result: T } | { error: { code: string; message: string } },
): T {
  if ('error' in envelope) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope.result;
}

/** The error code a promise rejects with, or 'resolved'. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return (error as { code?: string }).code ?? `uncoded: ${(error as Error).message}`;
  }
}
