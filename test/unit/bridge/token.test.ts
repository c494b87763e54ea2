import { chmod, chown, lstat, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ensureRunDir,
  helloProof,
  proofMatches,
  readInstallToken,
  rotateToken,
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
  });

  // Only root can hand a folder to another user; elsewhere this is skipped.
  it.runIf(process.getuid?.() === 0)('refuses a run folder owned by another user', async () => {
    await ensureRunDir(dataDir.dir);
    await chown(join(dataDir.dir, 'run'), 12345, 12345);
    await expect(ensureRunDir(dataDir.dir)).rejects.toThrow(/belongs to user 12345/);
  });

  it.runIf(process.getuid?.() === 0)('refuses a token file owned by another user', async () => {
    await rotateToken(dataDir.dir, 'agents');
    await chown(tokenPath(dataDir.dir), 12345, 12345);
    await expect(readInstallToken(dataDir.dir)).rejects.toThrow(/belongs to user 12345/);
  });

  it('refuses a run path that is a file', async () => {
    await writeFile(join(dataDir.dir, 'run'), 'x');
    await expect(ensureRunDir(dataDir.dir)).rejects.toThrow(/not a folder/);
  });
});

describe('rotateToken', () => {
  it('writes a 0600 file of 32 random bytes in hex, a new one at every start', async () => {
    const token = await rotateToken(dataDir.dir, 'agents');
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const file = tokenPath(dataDir.dir);
    expect(file).toBe(join(dataDir.dir, 'run', 'bridge.token'));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toBe(token);
    expect(await readInstallToken(dataDir.dir)).toBe(token);
    const next = await rotateToken(dataDir.dir, 'agents');
    expect(next).not.toBe(token);
    expect(await readInstallToken(dataDir.dir)).toBe(next);
  });

  it('keeps the admin token in its own file, apart from the agents’ one', async () => {
    const agents = await rotateToken(dataDir.dir, 'agents');
    const admin = await rotateToken(dataDir.dir, 'admin');
    expect(admin).not.toBe(agents);
    expect(tokenPath(dataDir.dir, 'admin')).toBe(join(dataDir.dir, 'run', 'admin.token'));
    expect((await stat(tokenPath(dataDir.dir, 'admin'))).mode & 0o777).toBe(0o600);
    expect(await readInstallToken(dataDir.dir, 'admin')).toBe(admin);
    expect(await readInstallToken(dataDir.dir, 'agents')).toBe(agents);
  });

  it('replaces a loose token file with a private one; a reader refuses the loose one', async () => {
    await rotateToken(dataDir.dir, 'agents');
    await chmod(tokenPath(dataDir.dir), 0o644);
    await expect(readInstallToken(dataDir.dir)).rejects.toMatchObject({
      name: 'CustodianError',
      code: 'unsafe_path',
    });
    await expect(readInstallToken(dataDir.dir)).rejects.toThrow(
      /permissions are 0644.*must be 0600/,
    );
    const token = await rotateToken(dataDir.dir, 'agents');
    expect((await stat(tokenPath(dataDir.dir))).mode & 0o777).toBe(0o600);
    expect(await readInstallToken(dataDir.dir)).toBe(token);
  });

  it('replaces a planted symlink instead of writing through it; a reader refuses the link', async () => {
    await ensureRunDir(dataDir.dir);
    const real = join(dataDir.dir, 'real-token');
    await writeFile(real, 'a'.repeat(64), { mode: 0o600 });
    await symlink(real, tokenPath(dataDir.dir));
    await expect(readInstallToken(dataDir.dir)).rejects.toThrow(/symbolic link/);
    await rotateToken(dataDir.dir, 'agents');
    expect((await lstat(tokenPath(dataDir.dir))).isSymbolicLink()).toBe(false);
    expect(await readFile(real, 'utf8')).toBe('a'.repeat(64));
  });

  it('a reader refuses a token file with garbage in it', async () => {
    await ensureRunDir(dataDir.dir);
    await writeFile(tokenPath(dataDir.dir), 'not a token', { mode: 0o600 });
    await expect(readInstallToken(dataDir.dir)).rejects.toThrow(/valid token/);
  });

  it('refuses to write into a run folder that is a symlink', async () => {
    const elsewhere = join(dataDir.dir, 'elsewhere');
    await mkdir(elsewhere, { mode: 0o700 });
    await mkdir(join(dataDir.dir, 'data'));
    await symlink(elsewhere, join(dataDir.dir, 'data', 'run'));
    await expect(rotateToken(join(dataDir.dir, 'data'), 'admin')).rejects.toThrow(/symbolic link/);
  });
});

describe('helloProof', () => {
  it('binds the token to one nonce: another nonce or token gives another proof', () => {
    const token = 'ab'.repeat(32);
    const nonce = 'cd'.repeat(32);
    const proof = helloProof(token, nonce);
    expect(proof).toMatch(/^[0-9a-f]{64}$/);
    expect(proof).not.toContain(token);
    expect(proofMatches(proof, token, nonce)).toBe(true);
    expect(proofMatches(proof, token, 'ce'.repeat(32))).toBe(false);
    expect(proofMatches(proof, 'ac'.repeat(32), nonce)).toBe(false);
    // The raw token is no proof.
    expect(proofMatches(token, token, nonce)).toBe(false);
  });
});

describe('readInstallToken', () => {
  it('is null before the core ever ran, and creates nothing', async () => {
    expect(await readInstallToken(dataDir.dir)).toBeNull();
    await expect(stat(join(dataDir.dir, 'run'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a loose run folder on the client side too', async () => {
    await rotateToken(dataDir.dir, 'agents');
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
