import { z } from 'zod';
import { settingsSchema, type VaultStatus } from '../../../shared/vault-status';
import type { CoreEvents } from '../events';
import type { LockLifecycle } from '../lifecycle/lock-lifecycle';
import type { SettingsStore } from '../settings/settings-store';
import type { Vault } from '../vault/vault';
import { useCase } from './use-case';

// The vault's life (create, unlock, recover, lock) and the settings that shape
// it. Each change of state is told once, as vault:changed, whoever asked: the
// window, the tray, auto-lock, the command line.

export interface VaultUseCaseServices {
  vault: Vault;
  settings: SettingsStore;
  events: CoreEvents;
  /** Unlock and lock in one order: plugins load and unload with the vault. */
  lifecycle: Pick<LockLifecycle, 'unlock' | 'lock'>;
  /** What is wrong with the data folder or the socket, if anything. */
  folderProblem?: () => string | undefined;
}

/** The vault's status as the window, the tray and the command line see it. */
export async function vaultStatus({
  vault,
  settings,
  folderProblem,
}: Pick<VaultUseCaseServices, 'vault' | 'settings' | 'folderProblem'>): Promise<VaultStatus> {
  const problem = folderProblem?.();
  return {
    state: await vault.state(),
    keychain: vault.keychainState,
    autoLockMinutes: (await settings.get()).autoLockMinutes,
    ...(problem ? { problem } : {}),
  };
}

const empty = z.object({});

export function vaultUseCases(services: VaultUseCaseServices) {
  const { vault, settings, events, lifecycle } = services;
  const status = () => vaultStatus(services);
  const changed = async (): Promise<VaultStatus> => {
    const now = await status();
    events.emit('vault:changed', now);
    return now;
  };
  return {
    'vault.status': useCase({ callers: ['window', 'cli'], input: empty, run: status }),
    /** The recovery passphrase is answered exactly once, to be shown to the person. */
    'vault.create': useCase({
      callers: ['window', 'cli'],
      input: empty,
      run: async () => {
        const { recoveryPassphrase, keychain } = await lifecycle.unlock(() => vault.create());
        return { recoveryPassphrase, keychain, status: await changed() };
      },
    }),
    'vault.unlock': useCase({
      callers: ['window', 'cli'],
      input: empty,
      run: async () => {
        await lifecycle.unlock(() => vault.unlock());
        return changed();
      },
    }),
    'vault.recover': useCase({
      callers: ['window', 'cli'],
      input: z.object({ passphrase: z.string().min(1).max(1000) }),
      run: async ({ passphrase }) => {
        const { keychain } = await lifecycle.unlock(() => vault.recover(passphrase));
        return { keychain, status: await changed() };
      },
    }),
    /** The window's Lock button, the tray, auto-lock and `custodian lock`. */
    'vault.lock': useCase({
      callers: ['window', 'cli'],
      input: empty,
      run: async () => {
        await lifecycle.lock();
        return changed();
      },
    }),
    'settings.get': useCase({ callers: ['window'], input: empty, run: () => settings.get() }),
    'settings.update': useCase({
      callers: ['window'],
      input: settingsSchema.partial(),
      run: async (patch) => {
        const next = await settings.update(patch);
        // Auto-lock's minutes are part of the vault's status.
        await changed();
        return next;
      },
    }),
  };
}
