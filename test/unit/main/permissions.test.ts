import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  denyDevicePermission,
  denyPermissionCheck,
  denyPermissionRequest,
  hardenSession,
} from '../../../electron/main/security/permissions';

// Every permission name Electron 45's Session handlers can be asked about.
const PERMISSIONS = [
  'ar',
  'automatic-fullscreen',
  'background-fetch',
  'background-sync',
  'captured-surface-control',
  'clipboard-read',
  'clipboard-sanitized-write',
  'deprecated-sync-clipboard-read',
  'display-capture',
  'fileSystem',
  'fullscreen',
  'geolocation',
  'geolocation-approximate',
  'hand-tracking',
  'hid',
  'idle-detection',
  'keyboardLock',
  'local-fonts',
  'local-network',
  'local-network-access',
  'loopback-network',
  'media',
  'mediaKeySystem',
  'midi',
  'midiSysex',
  'nfc',
  'notifications',
  'openExternal',
  'payment-handler',
  'periodic-background-sync',
  'persistent-storage',
  'pointerLock',
  'screen-wake-lock',
  'sensors',
  'serial',
  'smart-card',
  'speaker-selection',
  'storage-access',
  'system-wake-lock',
  'top-level-storage-access',
  'usb',
  'vr',
  'web-app-installation',
  'web-printing',
  'window-management',
  'unknown',
];

describe('permission handlers', () => {
  it('calls back false, exactly once, for every permission request', () => {
    for (const permission of PERMISSIONS) {
      const answers: boolean[] = [];
      denyPermissionRequest({}, permission, (granted) => answers.push(granted));
      expect(answers, permission).toEqual([false]);
    }
  });

  it('answers false to every permission check and device request', () => {
    expect(denyPermissionCheck()).toBe(false);
    expect(denyDevicePermission()).toBe(false);
  });

  it('are what hardenSession installs, once per session', () => {
    const installed: Record<string, unknown[]> = { request: [], check: [], device: [] };
    const session = Object.assign(new EventEmitter(), {
      setPermissionRequestHandler: (h: unknown) => installed.request?.push(h),
      setPermissionCheckHandler: (h: unknown) => installed.check?.push(h),
      setDevicePermissionHandler: (h: unknown) => installed.device?.push(h),
    });
    type Hardenable = Parameters<typeof hardenSession>[0];
    hardenSession(session as unknown as Hardenable);
    hardenSession(session as unknown as Hardenable);
    expect(installed).toEqual({
      request: [denyPermissionRequest],
      check: [denyPermissionCheck],
      device: [denyDevicePermission],
    });
    expect(session.listenerCount('will-download')).toBe(1);
  });
});
