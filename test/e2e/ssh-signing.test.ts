import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/fresh-bundle';
import { SshKeygen, type SshTestKey } from '../support/ssh-keygen';
import { ensureCliBundle } from '../integration/cli/bundle';
import { keyLines } from '../integration/ssh/ssh-core';
import { startRig, ZOOM_200, type Rig } from './harness';
import { horizontalOverflow, pageText } from './page-checks';

// An SSH key through the window and a signed git commit approved in it: the
// person pastes a protected key (ssh-keygen's own file) and its passphrase
// into the ssh_key form, the saved view shows the public key line and the
// SHA256 fingerprint ssh-keygen prints, then real git runs custodian-ssh-sign
// for `git commit -S`, the approval dialog shows the namespace and the
// commit's header lines and message as text, Allow once lets it through, and
// `git verify-commit` accepts the commit. An RSA-4096 key's 700-character
// public line wraps inside the saved view at 200% zoom. Steps run in order on
// one vault.

const PLUGIN_BUILD = join(REPO_ROOT, 'plugins/ssh-signing/build');
const LAUNCHER = join(REPO_ROOT, 'bin/custodian-ssh-sign.mjs');
const CREDENTIAL = 'Laptop SSH key';
const PASSPHRASE = 'window passphrase 7731';

describe('an SSH key in the window, and a git commit signed with it', () => {
  let rig: Rig;
  let page: Page;
  let keygen: SshKeygen;
  let key: SshTestKey;
  let repo = '';

  const dialog = () => page.getByRole('dialog');
  const field = (label: string) => dialog().getByLabel(label, { exact: true });
  /** A boolean, so a failing assertion cannot print key material. */
  const holdsKey = (text: string) =>
    text.includes(PASSPHRASE) || keyLines(key.privateKey).some((line) => text.includes(line));

  const git = (args: string[]) =>
    new Promise<{ code: number; stderr: string; stdout: string }>((resolve) => {
      execFile(
        'git',
        args,
        {
          cwd: repo,
          env: {
            ...process.env,
            HOME: rig.dataDir,
            GIT_CONFIG_NOSYSTEM: '1',
            CUSTODIAN_DATA_DIR: rig.dataDir,
          },
          timeout: 120_000,
        },
        (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    if (!existsSync(join(PLUGIN_BUILD, 'plugin.wasm')))
      throw new Error('plugins/ssh-signing is not built: run `npm run plugins:build` first.');
    ensureCliBundle();
    keygen = await SshKeygen.start();
    key = await keygen.generate('ed25519', PASSPHRASE, 'laptop');
    rig = await startRig({ approvals: { kind: 'window' } });
    const created = await rig.core.dispatch('vault:create', {});
    expect('result' in created).toBe(true);
    await rig.core.plugins.installFromDirectory(PLUGIN_BUILD, { source: 'local' });
    page = await rig.newPage();
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();
  });

  afterEach(() => {
    const problems = rig.problems.splice(0);
    expect(problems).toEqual([]);
  });

  afterAll(async () => {
    await rig?.close();
    await keygen?.close();
  });

  it('adds the key through the form; the saved view shows its public line and fingerprint', async () => {
    await page.getByRole('button', { name: 'Add credential' }).click();
    await dialog().getByRole('button', { name: 'SSH key — from plugin ssh-signing' }).click();
    await dialog().getByRole('heading', { name: 'Add SSH key' }).waitFor();
    await field('Name').fill(CREDENTIAL);
    const privateKey = field('Private key');
    await privateKey.fill(key.privateKey);
    await field('Passphrase').fill(PASSPHRASE);
    await rig.screenshot(page, '121-ssh-key-form', [privateKey]);
    await dialog().getByRole('button', { name: 'Add credential' }).click();

    await dialog()
      .getByRole('heading', { level: 2, name: `Saved “${CREDENTIAL}”`, exact: true })
      .waitFor();
    const shown = (await dialog().textContent()) ?? '';
    expect(shown).toContain(key.publicLine);
    const fingerprint = key.fingerprintLine.split(' ')[1] ?? '';
    expect(fingerprint).toMatch(/^SHA256:/);
    expect(shown).toContain(fingerprint);
    await rig.screenshot(page, '122-ssh-key-saved');
    await dialog().getByRole('button', { name: 'Done' }).click();
    await dialog().waitFor({ state: 'detached' });
    expect(holdsKey(await pageText(page)), 'the page shows the key').toBe(false);
    for (const record of rig.ipcLog)
      expect(holdsKey(record.response), `${record.channel} gave the page the key`).toBe(false);
    // The passphrase was used for the import and not kept.
    const stored = rig.core.vault.read((c) => c.credentials.find((x) => x.name === CREDENTIAL));
    expect(stored?.type).toBe('ssh_key');
    expect(JSON.stringify(stored).includes(PASSPHRASE)).toBe(false);
  });

  it('signs a git commit once the person allows it, seeing the namespace and the commit', async () => {
    await rig.core.startBridge();
    repo = join(rig.dataDir, 'repo');
    await mkdir(repo);
    for (const args of [
      ['init', '-q', '-b', 'main'],
      ['config', 'user.name', 'Test Person'],
      ['config', 'user.email', 'test@example.org'],
      ['config', 'gpg.format', 'ssh'],
      ['config', 'user.signingkey', `key::${key.publicLine}`],
      ['config', 'gpg.ssh.program', LAUNCHER],
    ])
      expect((await git(args)).code).toBe(0);
    const committing = git(['commit', '-q', '--allow-empty', '-S', '-m', 'Signed in the window']);

    const approval = page.getByRole('alertdialog', { name: 'Allow ssh_sign?' });
    await approval.waitFor({ timeout: 60_000 });
    expect(await approval.locator('dl').textContent()).toContain('custodian ssh-sign');
    const payload = (await approval.locator('pre.payload').textContent()) ?? '';
    const lines = payload.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'action sign of plugin ssh-signing',
      'namespace: git',
      'data:',
      expect.stringMatching(/^tree [0-9a-f]{40}$/),
    ]);
    expect(payload).toContain('author Test Person <test@example.org>');
    expect(payload).toContain('\n\nSigned in the window\n');
    await rig.screenshot(page, '123-ssh-approval-commit');
    await approval.getByRole('button', { name: 'Allow once', exact: true }).click();

    const committed = await committing;
    expect(committed.code, committed.stderr).toBe(0);
    const signers = join(rig.dataDir, 'allowed_signers');
    await writeFile(signers, `test@example.org ${key.publicLine}\n`);
    const verified = await git([
      '-c',
      `gpg.ssh.allowedSignersFile=${signers}`,
      'verify-commit',
      'HEAD',
    ]);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stderr).toContain('Good "git" signature for test@example.org');
  });

  it('shows an RSA-4096 key’s public line wrapped at 200% zoom, nothing scrolling sideways', async () => {
    const rsa = await keygen.generate('rsa-4096', '', 'build-server');
    expect(rsa.publicLine.length).toBeGreaterThan(700);
    const zoomed = await rig.newPage(ZOOM_200);
    await zoomed.goto('/');
    await zoomed.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();
    await zoomed.getByRole('button', { name: 'Add credential' }).click();
    const form = zoomed.getByRole('dialog');
    await form.getByRole('button', { name: 'SSH key — from plugin ssh-signing' }).click();
    await form.getByLabel('Name', { exact: true }).fill('Build server key');
    await form.getByLabel('Private key', { exact: true }).fill(rsa.privateKey);
    await form.getByRole('button', { name: 'Add credential' }).click();
    await form
      .getByRole('heading', { level: 2, name: 'Saved “Build server key”', exact: true })
      .waitFor();
    const line = form.getByText(rsa.publicLine, { exact: true });
    const [box, frame] = await Promise.all([line.boundingBox(), form.boundingBox()]);
    expect(box && frame).toBeTruthy();
    if (box && frame) {
      expect(box.x + box.width).toBeLessThanOrEqual(frame.x + frame.width);
      expect(box.height).toBeGreaterThan(100);
    }
    const report = await horizontalOverflow(zoomed);
    expect(report.offenders).toEqual([]);
    await rig.screenshot(zoomed, '124-ssh-rsa-key-saved-zoom-200');
    expect(holdsKey(await pageText(zoomed))).toBe(false);
    await form.getByRole('button', { name: 'Done' }).click();
    await zoomed.close();
  });
});
