import { chmod, chown, lstat, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ensureRunDir,
  loadOrCreateToken,
  readInstallToken,
  tokenPath,
  tokensEqual,
} from '../../../electron/core/bridge/token';
import { tempDataDir } from './helpers';

// The run folder and token file are the socket's only fence: anything another
// user could have touched is refused with a message that says what to do.

let dataDir: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => (dataDir = await tempDataDir()));
afterEach(() => dataDir.cleanup());

describe('ensureRunDir', () => {
  it('creates run/ as 0700, also under a data folder that does not exist yet', async () => {
    const data = join(dataDir.dir, 'nested', 'data');
    const dir = await ensureRunDir(data);
    expect(dir).toBe(join(data, 'run'));
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    // Idempotent.
    await expect(ensureRunDir(data)).resolves.toBe(dir);
  });

  it('refuses an existing run folder that is 0755, naming the fix', async () => {
    await mkdir(join(dataDir.dir, 'run'), { mode: 0o700 });
    await chmod(join(dataDir.dir, 'run'), 0o755);
    const refusal = ensureRunDir(dataDir.dir);
    await expect(refusal).rejects.toMatchObject({ name: 'CustodianError', code: 'unsafe_path' });
    await expect(refusal).rejects.toThrow(/permissions are 0755.*must be 0700.*chmod 700/);
    // Refused, not repaired.
    expect((await stat(join(dataDir.dir, 'run'))).mode & 0o777).toBe(0o755);
  });

  it('refuses a run folder that is a symlink, even to a 0700 folder', async () => {
    const elsewhere = join(dataDir.dir, 'elsewhere');
    await mkdir(elsewhere, { mode: 0o700 });
    await mkdir(join(dataDir.dir, 'data'));
    await symlink(elsewhere, join(dataDir.dir, 'data', 'run'));
    await expect(ensureRunDir(join(dataDir.dir, 'data'))).rejects.toThrow(/symbolic link/);
    await expect(loadOrCreateToken(join(dataDir.dir, 'data'))).rejects.toThrow(/symbolic link/);
  });

  // Only root can hand a folder to another user; elsewhere this is skipped.
  it.runIf(process.getuid?.() === 0)('refuses a run folder owned by another user', async () => {
    await ensureRunDir(dataDir.dir);
    await chown(join(dataDir.dir, 'run'), 12345, 12345);
    await expect(ensureRunDir(dataDir.dir)).rejects.toThrow(/belongs to user 12345/);
  });

  it.runIf(process.getuid?.() === 0)('refuses a token file owned by another user', async () => {
    await loadOrCreateToken(dataDir.dir);
    await chown(tokenPath(dataDir.dir), 12345, 12345);
    await expect(loadOrCreateToken(dataDir.dir)).rejects.toThrow(/belongs to user 12345/);
  });

  it('refuses a run path that is a file', async () => {
    await writeFile(join(dataDir.dir, 'run'), 'x');
    await expect(ensureRunDir(dataDir.dir)).rejects.toThrow(/not a folder/);
  });
});

describe('loadOrCreateToken', () => {
  it('creates a 0600 file of 32 random bytes in hex once, then returns the same', async () => {
    const token = await loadOrCreateToken(dataDir.dir);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const file = tokenPath(dataDir.dir);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toBe(token);
    expect(await loadOrCreateToken(dataDir.dir)).toBe(token);
    expect(await readInstallToken(dataDir.dir)).toBe(token);
  });

  it('agrees on one token when several processes create it at once', async () => {
    const tokens = await Promise.all(
      Array.from({ length: 8 }, () => loadOrCreateToken(dataDir.dir)),
    );
    expect(new Set(tokens).size).toBe(1);
    expect(await readFile(tokenPath(dataDir.dir), 'utf8')).toBe(tokens[0]);
  });

  it('refuses a token file that is 0644, naming the fix', async () => {
    await loadOrCreateToken(dataDir.dir);
    await chmod(tokenPath(dataDir.dir), 0o644);
    await expect(loadOrCreateToken(dataDir.dir)).rejects.toThrow(
      /permissions are 0644.*must be 0600/,
    );
    await expect(readInstallToken(dataDir.dir)).rejects.toMatchObject({
      name: 'CustodianError',
      code: 'unsafe_path',
    });
  });

  it('refuses a token file that is a symlink', async () => {
    await ensureRunDir(dataDir.dir);
    const real = join(dataDir.dir, 'real-token');
    await writeFile(real, 'a'.repeat(64), { mode: 0o600 });
    await symlink(real, tokenPath(dataDir.dir));
    await expect(loadOrCreateToken(dataDir.dir)).rejects.toThrow(/symbolic link/);
    expect((await lstat(tokenPath(dataDir.dir))).isSymbolicLink()).toBe(true);
  });

  it('refuses a token file with garbage in it', async () => {
    await ensureRunDir(dataDir.dir);
    await writeFile(tokenPath(dataDir.dir), 'not a token', { mode: 0o600 });
    await expect(loadOrCreateToken(dataDir.dir)).rejects.toThrow(/valid token/);
  });
});

describe('readInstallToken', () => {
  it('is null before the core ever ran, and creates nothing', async () => {
    expect(await readInstallToken(dataDir.dir)).toBeNull();
    await expect(stat(join(dataDir.dir, 'run'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a loose run folder on the client side too', async () => {
    await loadOrCreateToken(dataDir.dir);
    await chmod(join(dataDir.dir, 'run'), 0o755);
    await expect(readInstallToken(dataDir.dir)).rejects.toThrow(/must be 0700/);
  });
});

describe('tokensEqual', () => {
  it('compares exactly, whatever the lengths', () => {
    const token = 'ab'.repeat(32);
    expect(tokensEqual(token, token)).toBe(true);
    expect(tokensEqual(token, 'ab'.repeat(31) + 'ac')).toBe(false);
    expect(tokensEqual('', token)).toBe(false);
    expect(tokensEqual(token + 'x', token)).toBe(false);
  });
});
