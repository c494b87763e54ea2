import type { KdfCost } from '../core/crypto/argon2';
import { createCore, type Core } from '../core/create-core';
import type { KeyStore } from '../core/keychain/key-store';
import { KeytarKeyStore } from '../core/keychain/keytar-key-store';

export interface HeadlessOptions {
  dataDir: string;
  /** Defaults to the OS keychain through keytar. */
  keyStore?: KeyStore;
  /** keytar service name; tests use their own so they never touch a real "Custodian" entry. */
  keychainService?: string;
  kdfCost?: KdfCost;
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
  });
}
