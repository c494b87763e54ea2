import type { App } from 'electron';

export type SingleInstanceApp = Pick<App, 'requestSingleInstanceLock' | 'on'>;

/**
 * One Custodian per user: two processes writing one vault file would race.
 * Returns false in a second instance, which must quit at once; the first
 * instance is told (onSecondInstance) so it can bring its window forward.
 */
export function claimSingleInstance(app: SingleInstanceApp, onSecondInstance: () => void): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', () => onSecondInstance());
  return true;
}
