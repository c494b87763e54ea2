import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/fresh-bundle';
import { SshKeygen, type SshTestKey } from '../../support/ssh-keygen';
import { keyLines } from '../ssh/ssh-core';
import { ensureCliBundle } from './bundle';
import { cli, makeSandbox, serve, stopServers, type Sandbox } from './cli-harness';

// Signed git commits with the key in Custodian and none on disk, end to end
// with real parts: `custodian serve --allow-tools ssh_sign` holds the vault,
// the ssh-signing plugin is installed and a protected key added with the CLI
// (its file deleted straight after), and real git runs the
// custodian-ssh-sign launcher as gpg.ssh.program: `git commit -S` makes a
// commit that `git verify-commit` (which runs the launcher again, for
// ssh-keygen -Y verify) accepts with an allowed-signers file. The call is in
// the audit log under the launcher's client name; with ssh_sign off, or
// with a key Custodian does not hold, git fails with the launcher's reason.

const LAUNCHER = join(REPO_ROOT, 'bin', 'custodian-ssh-sign.mjs');
const PLUGIN_BUILD = join(REPO_ROOT, 'plugins', 'ssh-signing', 'build');
const PASSPHRASE = 'commit signing passphrase';

let sandbox: Sandbox;
let keygen: SshKeygen;
let key: SshTestKey;
let repo: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** git in the test repository, asynchronously: the core answering the launcher runs in this process. */
function git(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      {
        cwd: repo,
        env: {
          ...sandbox.env,
          HOME: sandbox.dataDir,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_AUTHOR_DATE: '2026-12-06T05:00:00Z',
          GIT_COMMITTER_DATE: '2026-12-06T05:00:00Z',
        },
        timeout: 120_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function ok(args: string[]): Promise<Run> {
  const run = await git(args);
  if (run.code !== 0) throw new Error(`git ${args.join(' ')} failed: ${run.stderr}`);
  return run;
}

beforeAll(async () => {
  ensureCliBundle();
  sandbox = await makeSandbox();
  keygen = await SshKeygen.start();
  key = await keygen.generate('ed25519', PASSPHRASE, 'commit-key');
  expect((await cli(sandbox, ['init', '--recovery-file', join(sandbox.dataDir, 'rec')])).code).toBe(
    0,
  );
  await serve(sandbox, ['--admin', '--allow-tools', 'ssh_sign']);
  const archive = join(sandbox.dataDir, 'ssh-signing.zip');
  expect((await cli(sandbox, ['plugin', 'pack', PLUGIN_BUILD, '--out', archive])).code).toBe(0);
  const installed = await cli(sandbox, ['plugin', 'install', archive, '--allow-unsigned']);
  expect(installed.code, installed.stderr).toBe(0);
  // The key reaches Custodian from files, which are gone before anything is signed.
  const keyPath = join(sandbox.dataDir, 'id_ed25519');
  const passPath = join(sandbox.dataDir, 'passphrase');
  await writeFile(keyPath, key.privateKey, { mode: 0o600 });
  await writeFile(passPath, PASSPHRASE, { mode: 0o600 });
  const added = await cli(sandbox, [
    'credential',
    'add',
    '--type',
    'ssh_key',
    '--name',
    'laptop',
    '--field',
    `private_key=@${keyPath}`,
    '--field',
    `passphrase=@${passPath}`,
  ]);
  expect(added.code, added.stderr).toBe(0);
  await rm(keyPath);
  await rm(passPath);

  repo = join(sandbox.dataDir, 'repo');
  await mkdir(repo);
  await ok(['init', '-q', '-b', 'main']);
  for (const [name, value] of [
    ['user.name', 'Test Person'],
    ['user.email', 'test@example.org'],
    ['gpg.format', 'ssh'],
    ['user.signingkey', `key::${key.publicLine}`],
    ['gpg.ssh.program', LAUNCHER],
  ] as const)
    await ok(['config', name, value]);
  const signers = join(sandbox.dataDir, 'allowed_signers');
  await writeFile(signers, `test@example.org ${key.publicLine}\n`);
  await ok(['config', 'gpg.ssh.allowedSignersFile', signers]);
}, 300_000);

afterAll(async () => {
  await stopServers();
  await keygen?.close();
  await sandbox?.cleanup();
});

describe('git commit -S through custodian-ssh-sign', () => {
  it('makes a commit that git verify-commit accepts, signed by the key in Custodian', async () => {
    await writeFile(join(repo, 'README'), 'signed through Custodian\n');
    await ok(['add', 'README']);
    const committed = await git(['commit', '-q', '-S', '-m', 'First signed commit: Grüße']);
    expect(committed.code, committed.stderr).toBe(0);
    const raw = (await ok(['cat-file', 'commit', 'HEAD'])).stdout;
    expect(raw).toMatch(/^gpgsig -----BEGIN SSH SIGNATURE-----$/m);
    for (const line of keyLines(key.privateKey)) expect(raw.includes(line)).toBe(false);

    const verified = await git(['verify-commit', '-v', 'HEAD']);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stderr).toContain('Good "git" signature for test@example.org');
    const shown = (await ok(['log', '-1', '--format=%G? %GK'])).stdout.trim();
    expect(shown.startsWith('G ')).toBe(true);
  });

  it('a changed commit no longer verifies', async () => {
    const raw = (await ok(['cat-file', 'commit', 'HEAD'])).stdout;
    const forged = raw.replace('First signed commit', 'Forged signed commit');
    const file = join(sandbox.dataDir, 'forged-commit');
    await writeFile(file, forged);
    const id = (await ok(['hash-object', '-t', 'commit', '-w', file])).stdout.trim();
    const verified = await git(['verify-commit', id]);
    expect(verified.code).not.toBe(0);
  });

  it('is in the audit log as ssh_sign by custodian ssh-sign, succeeded', async () => {
    const listed = await cli(sandbox, ['audit', 'list', '--tool', 'ssh_sign', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const entries = JSON.parse(listed.stdout) as {
      tool: string;
      client: string;
      credential: string;
      outcome: string;
    }[];
    for (const line of [...keyLines(key.privateKey), PASSPHRASE])
      expect(listed.stdout.includes(line)).toBe(false);
    expect(entries.map((e) => [e.tool, e.client, e.credential, e.outcome])).toContainEqual([
      'ssh_sign',
      expect.stringContaining('custodian ssh-sign'),
      'laptop',
      'succeeded',
    ]);
  });

  it('fails with the reason when Custodian holds no such key', async () => {
    const other = await keygen.generate('ed25519', '', 'other-key');
    const run = await git([
      '-c',
      `user.signingkey=key::${other.publicLine}`,
      'commit',
      '-q',
      '--allow-empty',
      '-S',
      '-m',
      'unsigned',
    ]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/None of the 1 SSH keys in Custodian is the key ssh-ed25519/);
  });

  it('fails with the reason when ssh_sign is off', async () => {
    expect((await cli(sandbox, ['tool', 'set', 'ssh_sign', 'off'])).code).toBe(0);
    const run = await git(['commit', '-q', '--allow-empty', '-S', '-m', 'refused']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/ssh_sign/);
  });
});
