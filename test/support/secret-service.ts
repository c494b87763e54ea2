import { spawnSync } from 'node:child_process';
import { eventually } from './eventually';

// The Secret Service of this test's own D-Bus session (with-keyring.sh starts
// one per run), found by asking the bus who owns org.freedesktop.secrets, so
// stopping it can never touch another session's keychain.

/** The pid owning org.freedesktop.secrets on this session bus, or null. */
export function secretServicePid(): number | null {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) return null;
  const asked = spawnSync(
    'dbus-send',
    [
      '--session',
      '--dest=org.freedesktop.DBus',
      '--print-reply=literal',
      '/org/freedesktop/DBus',
      'org.freedesktop.DBus.GetConnectionUnixProcessID',
      'string:org.freedesktop.secrets',
    ],
    { encoding: 'utf8' },
  );
  const pid = Number(/uint32\s+(\d+)/.exec(asked.stdout ?? '')?.[1]);
  return asked.status === 0 && pid > 0 ? pid : null;
}

/** Stops this session's Secret Service, as a crash or a logout would, and waits until it is gone. */
export async function stopSecretService(): Promise<void> {
  const pid = secretServicePid();
  if (pid === null) throw new Error('no Secret Service on this session bus');
  process.kill(pid, 'SIGKILL');
  await eventually(
    () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    },
    { message: 'the Secret Service to stop' },
  );
}
