import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { constants } from 'node:fs';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { syncFolder } from '../files/atomic-file';
import { CustodianError } from '../../../shared/errors';

// The tokens that the bridge (the agents' channel) and the command line (the
// admin channel) prove on the local sockets, one file each, rotated at every
// start of the core. They live with the sockets in <dataDir>/run, a folder only this user may
// enter. Anything looser, foreign or symlinked is refused, never repaired:
// a folder someone else could write to may already hold their socket or
// their token, and silently chmod-ing it would hide that.

export const RUN_DIR_NAME = 'run';
/** The agents' token: the bridge reads this one and no other. */
export const TOKEN_FILE_NAME = 'bridge.token';
/** The admin token: the command line's, for changes. */
export const ADMIN_TOKEN_FILE_NAME = 'admin.token';
/** What the hello's HMAC covers before the nonce, so a proof means nothing elsewhere. */
export const HELLO_PROOF_LABEL = 'custodian-hello:';

/**
 * The two ways into the core: the agents' (status, tools, events) and the
 * command line's admin channel (everything else the command line may do).
 */
export type SocketChannel = 'agents' | 'admin';
export const SOCKET_CHANNELS = ['agents', 'admin'] as const satisfies readonly SocketChannel[];
const TOKEN_PATTERN = /^[0-9a-f]{64}$/;

// Windows has no POSIX modes or owners here; the folder inherits the user
// profile's ACL. Tests can pretend to be either.
const posix = process.platform !== 'win32';

export function runDirPath(dataDir: string): string {
  return join(dataDir, RUN_DIR_NAME);
}

/** Creates <dataDir>/run as 0700 if missing, and checks it if present. */
export async function ensureRunDir(dataDir: string): Promise<string> {
  const dir = runDirPath(dataDir);
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    await fs.mkdir(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  await checkRunDir(dir);
  return dir;
}

/** Refuses a run folder that is a link, not a folder, foreign, or open to others. */
export async function checkRunDir(dir: string): Promise<void> {
  const stat = await fs.lstat(dir);
  if (stat.isSymbolicLink())
    throw new CustodianError(
      'unsafe_path',
      `Refusing ${dir}: it is a symbolic link. Remove it and restart.`,
    );
  if (!stat.isDirectory())
    throw new CustodianError(
      'unsafe_path',
      `Refusing ${dir}: it is not a folder. Remove it and restart.`,
    );
  if (posix) {
    checkOwner(dir, stat.uid);
    if ((stat.mode & 0o077) !== 0)
      throw new CustodianError(
        'unsafe_path',
        `Refusing ${dir}: its permissions are ${octal(stat.mode)}, so other users could ` +
          `reach the socket. It must be 0700; run chmod 700 "${dir}" and restart.`,
      );
  }
}

/**
 * The client's side: reads the token the core created, without creating
 * anything. Null when the core has never run with this data folder.
 */
export async function readInstallToken(
  dataDir: string,
  channel: SocketChannel = 'agents',
): Promise<string | null> {
  const dir = runDirPath(dataDir);
  try {
    await checkRunDir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return readToken(join(dir, tokenFileName(channel)));
}

/** A fresh token: 32 random bytes in hex. */
export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/**
 * Writes `token` as the channel's token file, replacing the one before: a core
 * rotates both tokens at every start, so a token copied out of the folder
 * works until the next start at most. The file is complete and 0600 before it
 * is renamed into place, so nobody ever reads a half-written one.
 */
export async function writeToken(
  dataDir: string,
  channel: SocketChannel,
  token: string,
): Promise<void> {
  if (!TOKEN_PATTERN.test(token)) throw new RangeError('A token is 64 hex digits.');
  const dir = await ensureRunDir(dataDir);
  const path = join(dir, tokenFileName(channel));
  const temp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
  const handle = await fs.open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(token);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temp, path);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncFolder(fs, dir);
}

/** A fresh token for the channel, written to its file: what a starting core does. */
export async function rotateToken(dataDir: string, channel: SocketChannel): Promise<string> {
  const token = newToken();
  await writeToken(dataDir, channel, token);
  return token;
}

/** Reads the token a client presents; null if none was created yet. */
export async function readToken(path: string): Promise<string | null> {
  let handle: fs.FileHandle;
  try {
    // O_NOFOLLOW: a symlink planted in place of the token is an error, not a redirect.
    handle = await fs.open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP')
      throw new CustodianError(
        'unsafe_path',
        `Refusing ${path}: it is a symbolic link. Remove it and restart.`,
      );
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile())
      throw new CustodianError('unsafe_path', `Refusing ${path}: it is not a regular file.`);
    if (posix) {
      checkOwner(path, stat.uid);
      if ((stat.mode & 0o077) !== 0)
        throw new CustodianError(
          'unsafe_path',
          `Refusing ${path}: its permissions are ${octal(stat.mode)}, so other users could ` +
            `read the token. It must be 0600; delete it (a new one is made) and restart.`,
        );
    }
    const token = (await handle.readFile('utf8')).trim();
    if (!TOKEN_PATTERN.test(token))
      throw new CustodianError('unsafe_path', `Refusing ${path}: it does not hold a valid token.`);
    return token;
  } finally {
    await handle.close();
  }
}

export function tokenPath(dataDir: string, channel: SocketChannel = 'agents'): string {
  return join(runDirPath(dataDir), tokenFileName(channel));
}

export function tokenFileName(channel: SocketChannel): string {
  return channel === 'admin' ? ADMIN_TOKEN_FILE_NAME : TOKEN_FILE_NAME;
}

/** What the client answers to the server's challenge: the token never crosses the socket. */
export function helloProof(token: string, nonce: string): string {
  return createHmac('sha256', token).update(`${HELLO_PROOF_LABEL}${nonce}`, 'utf8').digest('hex');
}

/** Whether `proof` answers this connection's nonce with `token`, in constant time. */
export function proofMatches(proof: string, token: string, nonce: string): boolean {
  return tokensEqual(proof, helloProof(token, nonce));
}

/** Constant-time: hashing first makes the lengths equal, so neither length nor content leaks. */
export function tokensEqual(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

function checkOwner(path: string, uid: number): void {
  const me = process.getuid?.();
  if (me !== undefined && uid !== me)
    throw new CustodianError(
      'unsafe_path',
      `Refusing ${path}: it belongs to user ${uid}, not to you (${me}). Remove it and restart.`,
    );
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8)}`;
}
