export interface QuitGuardOptions {
  isUnlocked(): boolean;
  lock(): Promise<unknown>;
  /** Called after the lock to resume quitting (app.quit()). */
  quit(): void;
  /** Quit anyway when locking takes longer than this. */
  timeoutMs?: number;
  log?: (message: string) => void;
}

/**
 * For app 'before-quit': while the vault is unlocked, hold the quit, lock
 * (which waits for a save under way and drops the keys), then quit. Runs at
 * most once, so a lock that fails or hangs cannot keep the app from quitting.
 */
export function createQuitGuard(
  options: QuitGuardOptions,
): (event: { preventDefault(): void }) => void {
  let started = false;
  return (event) => {
    if (started || !options.isUnlocked()) return;
    started = true;
    event.preventDefault();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        options.log?.('Locking the vault took too long; quitting anyway.');
        resolve();
      }, options.timeoutMs ?? 3000);
    });
    const lock = options.lock().then(
      () => undefined,
      (error: unknown) =>
        options.log?.(`Locking before quit failed: ${(error as Error)?.name ?? 'error'}`),
    );
    void Promise.race([lock, timeout]).then(() => {
      clearTimeout(timer);
      options.quit();
    });
  };
}
