import type { Session } from 'electron';

// The renderer needs no camera, microphone, notifications, clipboard reads,
// geolocation, HID, USB, serial, MIDI, fullscreen… nothing. Every request is
// refused and every check answers "not granted".

export function denyPermissionRequest(
  _webContents: unknown,
  _permission: string,
  callback: (granted: boolean) => void,
): void {
  callback(false);
}

export function denyPermissionCheck(): boolean {
  return false;
}

export function denyDevicePermission(): boolean {
  return false;
}

type HardenableSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler' | 'on'
>;

const hardened = new WeakSet<object>();

/** Installs the deny-all handlers on a session (once per session) and refuses downloads. */
export function hardenSession(session: HardenableSession): void {
  if (hardened.has(session)) return;
  hardened.add(session);
  session.setPermissionRequestHandler(denyPermissionRequest);
  session.setPermissionCheckHandler(denyPermissionCheck);
  session.setDevicePermissionHandler(denyDevicePermission);
  session.on('will-download', (event) => event.preventDefault());
}
