import { spawn } from 'node:child_process';
import { lstat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bridgeSocketPath, clearStaleSocket } from '../../../electron/core/bridge/socket-path';
import { ensureRunDir } from '../../../electron/core/bridge/token';
import { startServer, tempDataDir, welcomed } from './helpers';

let dataDir: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => (dataDir = await tempDataDir()));
afterEach(() => dataDir.cleanup());

/** Leaves a socket file behind the way a crash does: a listener killed with SIGKILL. */
async function socketOfDeadServer(path: string): Promise<void> {
  const child = spawn(process.execPath, [
    '-e',
    `require('node:net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`,
  ]);
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('bridgeSocketPath', () => {
  it('is run/custodian.sock in the data folder on Unix', () => {
    expect(bridgeSocketPath('/home/me/.config/Custodian', 'linux')).toBe(
      '/home/me/.config/Custodian/run/custodian.sock',
    );
  });

  it('is a named pipe derived from the data folder on Windows', () => {
    const a = bridgeSocketPath('C:\\Users\\me\\AppData\\Custodian', 'win32');
    expect(a).toMatch(/^\\\\\.\\pipe\\custodian-[0-9a-f]{32}$/);
    expect(bridgeSocketPath('C:\\Users\\me\\AppData\\Custodian', 'win32')).toBe(a);
    expect(bridgeSocketPath('C:\\Users\\me\\AppData\\Other', 'win32')).not.toBe(a);
  });

  it('refuses a data folder too deep for a Unix socket path', () => {
    expect(() => bridgeSocketPath('/' + 'x'.repeat(120), 'linux')).toThrow(/shorter data folder/);
  });
});

describe('clearStaleSocket', () => {
  it('reports absent when there is nothing', async () => {
    expect(await clearStaleSocket(join(dataDir.dir, 'none.sock'))).toBe('absent');
  });

  it('replaces the socket file of a dead server, and a new server starts on it', async () => {
    await ensureRunDir(dataDir.dir);
    const path = bridgeSocketPath(dataDir.dir);
    await socketOfDeadServer(path);
    expect((await lstat(path)).isSocket()).toBe(true);
    const { server, token } = await startServer(dataDir.dir);
    try {
      const client = await welcomed(path, token);
      client.destroy();
    } finally {
      await server.close();
    }
  });

  it('does not steal the socket of a live server', async () => {
    const { server, token, path } = await startServer(dataDir.dir);
    try {
      await expect(startServer(dataDir.dir)).rejects.toThrow(/already serving/);
      // The first server still answers.
      const client = await welcomed(path, token);
      client.send({ v: 2, id: 1, method: 'ping', params: {} });
      expect(await client.response(1)).toMatchObject({ result: { pong: true } });
      client.destroy();
    } finally {
      await server.close();
    }
  });

  it('refuses to delete something that is not a socket', async () => {
    const path = join(dataDir.dir, 'file.sock');
    await writeFile(path, 'precious');
    await expect(clearStaleSocket(path)).rejects.toThrow(/not a socket/);
    expect((await lstat(path)).isFile()).toBe(true);
  });
});
