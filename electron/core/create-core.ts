import * as nodeFs from 'node:fs/promises';
import { join } from 'node:path';
import type { Channel, RequestOf, ResponseOf } from '../../shared/ipc/contract';
import type { Envelope } from '../../shared/ipc/envelope';
import type { KdfCost } from './crypto/argon2';
import { CredentialService } from './credentials/credential-service';
import { CredentialTypeRegistry } from './credentials/type-registry';
import { CoreEvents } from './events';
import { dispatch, type HandlerTable, type Logger } from './ipc/dispatch';
import { createHandlers } from './ipc/handlers';
import type { KeyStore } from './keychain/key-store';
import { SettingsStore } from './settings/settings-store';
import type { FileSystem, SaveStep } from './vault/atomic-file';
import { Vault } from './vault/vault';

export interface CoreOptions {
  /** The app's data folder; created 0700 if missing. */
  dataDir: string;
  keyStore: KeyStore;
  fs?: FileSystem;
  /** Fixed Argon2id cost (tests, benchmarks); calibrated at creation when absent. */
  kdfCost?: KdfCost;
  now?: () => Date;
  log?: Logger;
  onSaveStep?: (step: SaveStep) => void;
}

export interface Core {
  vault: Vault;
  types: CredentialTypeRegistry;
  credentials: CredentialService;
  settings: SettingsStore;
  events: CoreEvents;
  handlers: HandlerTable;
  /** One IPC call, validated against the contract (typed when the channel is known). */
  dispatch<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<Envelope<ResponseOf<C>>>;
  dispatch(channel: unknown, payload: unknown): Promise<Envelope<unknown>>;
}

export const VAULT_FILE_NAME = 'vault.cvlt';

/** Builds the app's services. Both composition roots, main and headless, call this. */
export async function createCore(options: CoreOptions): Promise<Core> {
  const fs = options.fs ?? nodeFs;
  await fs.mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const vault = new Vault({
    path: join(options.dataDir, VAULT_FILE_NAME),
    fs,
    keyStore: options.keyStore,
    kdfCost: options.kdfCost,
    now: options.now,
    onSaveStep: options.onSaveStep,
  });
  const types = new CredentialTypeRegistry();
  const credentials = new CredentialService(vault, types, options.now);
  const settings = new SettingsStore(options.dataDir, fs);
  const events = new CoreEvents();
  const handlers = createHandlers({ vault, credentials, types, settings, events });
  const log = options.log ?? (() => {});
  return {
    vault,
    types,
    credentials,
    settings,
    events,
    handlers,
    dispatch: ((channel: unknown, payload: unknown) =>
      dispatch(handlers, channel, payload, log)) as Core['dispatch'],
  };
}
