import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { RUN_DIR_NAME, type SocketChannel } from './token';
import { CustodianError } from '../../../shared/errors';

// Where the core listens. On Unix, a socket file in the 0700 run folder; on
// Windows, a named pipe (pipes live in their own namespace, not in the data
// folder) whose name is derived from the data folder so two installs with
// different data folders never collide.

export const SOCKET_FILE_NAME = 'custodian.sock';
/** The command line's admin channel, beside the agents' socket. */
export const ADMIN_SOCKET_FILE_NAME = 'admin.sock';

// sun_path is 108 bytes on Linux and 104 on macOS, both counting the NUL.
const MAX_UNIX_SOCKET_PATH_BYTES = 103;

export function bridgeSocketPath(
  dataDir: string,
  platform: NodeJS.Platform = process.platform,
  channel: SocketChannel = 'agents',
): string {
  if (platform === 'win32') {
    // Windows paths are case-insensitive: one folder, one pipe.
    const digest = createHash('sha256').update(resolve(dataDir).toLowerCase()).digest('hex');
    const kind = channel === 'admin' ? 'custodian-admin' : 'custodian';
    return `\\\\.\\pipe\\${kind}-${digest.slice(0, 32)}`;
  }
  const file = channel === 'admin' ? ADMIN_SOCKET_FILE_NAME : SOCKET_FILE_NAME;
  const path = join(resolve(dataDir), RUN_DIR_NAME, file);
  if (Buffer.byteLength(path) > MAX_UNIX_SOCKET_PATH_BYTES)
    throw new CustodianError(
      'unsafe_path',
      `The socket path ${path} is longer than Unix sockets allow ` +
        `(${MAX_UNIX_SOCKET_PATH_BYTES} bytes). Use a shorter data folder.`,
    );
  return path;
}

export function isNamedPipe(path: string): boolean {
  return path.startsWith('\\\\.\\pipe\\') || path.startsWith('\\\\?\\pipe\\');
}

/**
 * Before listening: removes a socket file left by a server that died, and
 * refuses to take over one that a live server still answers on. Anything
 * other than a socket at that path is refused rather than deleted.
 */
export async function clearStaleSocket(
  path: string,
  probeTimeoutMs = 1_000,
): Promise<'absent' | 'removed'> {
  if (isNamedPipe(path)) return 'absent';
  let stat;
  try {
    stat = await fs.lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw error;
  }
  if (!stat.isSocket())
    throw new CustodianError(
      'unsafe_path',
      `Refusing to replace ${path}: it is not a socket. Remove it.`,
    );
  if (await answers(path, probeTimeoutMs))
    throw new CustodianError(
      'unsafe_path',
      `Another Custodian is already serving on ${path}. Quit it first, or use another data folder.`,
    );
  await fs.unlink(path);
  return 'removed';
}

/** Whether something accepts connections on the socket. */
export function answers(path: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect(path);
    const finish = (live: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolvePromise(live);
    };
    // A server too busy to accept within the timeout is still treated as
    // live: stealing its socket would strand its clients.
    const timer = setTimeout(() => finish(true), timeoutMs);
    socket.once('connect', () => finish(true));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      finish(!(error.code === 'ECONNREFUSED' || error.code === 'ENOENT')),
    );
  });
}
