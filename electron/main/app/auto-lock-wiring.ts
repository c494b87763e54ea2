import { AutoLock, type AutoLockClock } from '../../core/auto-lock';
import type { CoreEvents } from '../../core/events';
import type { SettingsStore } from '../../core/settings/settings-store';

const FALLBACK_MINUTES = 5;

export interface AutoLockWiringOptions {
  settings: Pick<SettingsStore, 'get'>;
  events: Pick<CoreEvents, 'on'>;
  isUnlocked(): boolean;
  /** Locks through the core (core.dispatch('vault:lock')), so the window hears 'vault:changed'. */
  lock(): Promise<unknown>;
  clock?: AutoLockClock;
  log?: (message: string) => void;
}

export interface AutoLockWiring {
  /** Something the person did: an IPC call, a key press in the window. */
  activity(): void;
  /** powerMonitor 'suspend'. */
  suspend(): void;
  /** powerMonitor 'lock-screen'. */
  screenLocked(): void;
  /** Resolves once the idle time from the settings is in force. */
  ready: Promise<void>;
  dispose(): void;
}

/**
 * The core's AutoLock, fed from the app: the idle limit comes from the
 * settings and follows every 'vault:changed' (whose status carries
 * autoLockMinutes, read from the settings), and a lock only happens when
 * there is something to lock.
 */
export function wireAutoLock(options: AutoLockWiringOptions): AutoLockWiring {
  const log = options.log ?? (() => {});
  const autoLock = new AutoLock((reason) => {
    if (!options.isUnlocked()) return;
    log(`Locking the vault (${reason}).`);
    options.lock().catch((error: unknown) => {
      log(`Auto-lock failed: ${(error as Error)?.name ?? 'error'}`);
    });
  }, options.clock);

  // A change that arrives before the first read wins over that read.
  let changed = false;
  const unsubscribe = options.events.on('vault:changed', (status) => {
    changed = true;
    autoLock.setIdleMinutes(status.autoLockMinutes);
  });
  const ready = options.settings.get().then(
    (settings) => {
      if (!changed) autoLock.setIdleMinutes(settings.autoLockMinutes);
    },
    () => {
      log(`Settings could not be read; auto-lock uses ${FALLBACK_MINUTES} minutes.`);
      if (!changed) autoLock.setIdleMinutes(FALLBACK_MINUTES);
    },
  );

  return {
    activity: () => autoLock.activity(),
    suspend: () => autoLock.suspend(),
    screenLocked: () => autoLock.screenLocked(),
    ready,
    dispose: () => {
      unsubscribe();
      autoLock.dispose();
    },
  };
}
