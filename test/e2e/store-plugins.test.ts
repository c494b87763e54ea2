import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { secretForms } from '../../electron/core/credentials/secret-scan';
import { REPO_ROOT } from '../support/fresh-bundle';
import { startRig, type Rig } from './harness';
import { pageText } from './page-checks';

// The first-party plugins from the bundled catalog (out/store, built by
// `npm run store:build`), through the window: the Store lists each with its
// capabilities in plain words, the person installs totp, jwt and aws-sigv4
// with consent, then adds one credential of each through its form; the saved
// view shows the public facts the import read (the TOTP settings a pasted
// otpauth URI filled, the JWT key's type, thumbprint and public JWK). Then an
// agent's jwt_sign and aws_sign wait for the person, whose dialog shows the
// claims to be signed and the request to be signed. No secret reaches the
// page. Screenshots 130-139. Steps run in order on one vault.

const run = randomBytes(4).toString('hex');
const seed = randomBytes(20);
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return bits > 0 ? out + BASE32[(value << (5 - bits)) & 31] : out;
}
const OTP_URI = `otpauth://totp/GitHub:octo-${run}?secret=${base32(seed)}&issuer=GitHub&algorithm=SHA1&digits=6&period=30`;
const ed = generateKeyPairSync('ed25519');
const ED_PEM = ed.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const AWS_SECRET = `wJalrXUtnFEMI/K7MDENG/${randomBytes(12).toString('base64')}`;
const AWS_TOKEN = `IQoJb3JpZ2luX2VjE${randomBytes(30).toString('base64')}`;
const SECRETS = [OTP_URI, base32(seed), ED_PEM, AWS_SECRET, AWS_TOKEN];

/** First-party plugins: folders under plugins/ with a plugin.toml, as store:build packs them. */
const FIRST_PARTY = readdirSync(join(REPO_ROOT, 'plugins'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && !['fixtures', 'template', 'sdk'].includes(d.name))
  .filter((d) => existsSync(join(REPO_ROOT, 'plugins', d.name, 'plugin.toml')))
  .map((d) => d.name)
  .sort();

describe('the first-party plugins from the bundled store, in the window', () => {
  let rig: Rig;
  let page: Page;

  const heading = (name: string) => page.getByRole('heading', { level: 1, name, exact: true });
  const nav = (name: string) =>
    page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name, exact: true });
  const storeList = () => page.getByRole('list', { name: 'Store plugins' });
  const entry = (name: string) => storeList().locator(`[data-plugin="${name}"]`);
  const dialog = () => page.getByRole('dialog');
  const field = (label: string) => dialog().getByLabel(label, { exact: true });
  /** A boolean, so a failing assertion cannot print a secret. */
  const holdsSecret = (text: string) =>
    SECRETS.some((secret) =>
      secretForms(secret).some((form) => form.length >= 8 && text.includes(form)),
    ) ||
    ED_PEM.split('\n').some(
      (line) => !line.startsWith('-----') && line.length > 20 && text.includes(line),
    );

  beforeAll(async () => {
    if (!existsSync(join(REPO_ROOT, 'out', 'store', 'catalog.json')))
      throw new Error('out/store is not built: run `npm run store:build` first.');
    rig = await startRig({ approvals: { kind: 'window' } });
    expect(await rig.core.dispatch('vault:create', {})).toHaveProperty('result');
    page = await rig.newPage();
    await page.goto('/');
    await heading('Credentials').waitFor();
  });

  afterEach(() => {
    const problems = rig.problems.splice(0);
    expect(problems).toEqual([]);
  });

  afterAll(async () => {
    if (rig) {
      expect(holdsSecret(await pageText(page)), 'the page shows a secret').toBe(false);
      for (const record of rig.ipcLog)
        expect(holdsSecret(record.response), `${record.channel} gave the page a secret`).toBe(
          false,
        );
    }
    await rig?.close();
  });

  it('the Store lists every first-party plugin with its capabilities in plain words', async () => {
    await nav('Store').click();
    await heading('Store').waitFor();
    await expect
      .poll(() =>
        storeList()
          .locator('[data-plugin]')
          .evaluateAll((items) => items.map((item) => item.getAttribute('data-plugin'))),
      )
      .toEqual(FIRST_PARTY);
    expect(FIRST_PARTY).toEqual(
      expect.arrayContaining(['aws-sigv4', 'jwt', 'pgp-signing', 'totp']),
    );
    expect(await entry('totp').textContent()).toContain('May use cryptographic functions');
    expect(await entry('jwt').textContent()).toContain('May use cryptographic functions');
    const aws = (await entry('aws-sigv4').textContent()) ?? '';
    expect(aws).toContain('May use cryptographic functions');
    expect(aws).toContain('May send HTTPS requests to any host under amazonaws.com');
    // Handles, never values: none of the three carries the warning.
    for (const name of ['totp', 'jwt', 'aws-sigv4'])
      expect(await entry(name).textContent()).not.toContain('reads your secret values');
    // Each shows its icon, inline from the signed catalog: nothing is fetched.
    for (const name of FIRST_PARTY) {
      const icon = entry(name).locator('img.plugin-icon');
      expect(await icon.getAttribute('src'), name).toMatch(/^data:image\/svg\+xml;base64,/);
      await expect
        .poll(() =>
          icon.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
        )
        .toBe(64);
    }
    await rig.screenshot(page, '130-store-first-party');
  });

  for (const name of ['totp', 'jwt', 'aws-sigv4'])
    it(`installs ${name} from the bundled catalog with consent`, async () => {
      await entry(name)
        .getByRole('button', { name: `Install ${name}`, exact: true })
        .click();
      const consent = dialog();
      await consent.getByRole('heading', { name: `Install “${name}” 1.0.0?` }).waitFor();
      expect(await consent.getByRole('region', { name: 'What it may do' }).textContent()).toContain(
        'May use cryptographic functions',
      );
      if (name === 'aws-sigv4') await rig.screenshot(page, '131-store-consent-aws-sigv4');
      await consent.getByRole('button', { name: 'Install', exact: true }).click();
      await consent.waitFor({ state: 'detached' });
      await entry(name)
        .locator('.badge', { hasText: /^Installed$/ })
        .waitFor();
    });

  async function openForm(typeButton: string, title: string) {
    await nav('Credentials').click();
    await heading('Credentials').waitFor();
    await page.getByRole('button', { name: 'Add credential' }).click();
    await dialog().getByRole('button', { name: typeButton }).click();
    await dialog().getByRole('heading', { name: title }).waitFor();
  }

  async function saved(name: string) {
    await dialog()
      .getByRole('heading', { level: 2, name: `Saved “${name}”`, exact: true })
      .waitFor();
    return (await dialog().textContent()) ?? '';
  }

  it('totp: a pasted otpauth URI; the saved view says what it filled', async () => {
    await openForm('One-time password (TOTP) — from plugin totp', 'Add One-time password (TOTP)');
    await field('Name').fill('GitHub 2FA');
    const secret = field('Setup key or otpauth URI');
    await secret.fill(OTP_URI);
    await rig.screenshot(page, '132-totp-form', [secret]);
    await dialog().getByRole('button', { name: 'Add credential' }).click();
    const shown = await saved('GitHub 2FA');
    expect(shown).toContain('GitHub');
    expect(shown).toContain(`octo-${run}`);
    expect(shown).toContain('From the otpauth URI: algorithm SHA1, 6 digits, a period of 30 s');
    await rig.screenshot(page, '133-totp-saved');
    await dialog().getByRole('button', { name: 'Done' }).click();
    await dialog().waitFor({ state: 'detached' });
  });

  it('jwt: a PEM key; the saved view shows its type, thumbprint and public JWK', async () => {
    await openForm('JWT signing key — from plugin jwt', 'Add JWT signing key');
    await field('Name').fill('Deploy bot');
    await field('Algorithm').selectOption('EdDSA');
    const key = field('Key');
    await key.fill(ED_PEM);
    await field('Key ID (kid)').fill('deploy-2026');
    await field('Issuer (iss)').fill('https://ci.example.org');
    await rig.screenshot(page, '134-jwt-form', [key]);
    await dialog().getByRole('button', { name: 'Add credential' }).click();
    const shown = await saved('Deploy bot');
    expect(shown).toContain('Ed25519');
    expect(shown).toContain(String(ed.publicKey.export({ format: 'jwk' }).x));
    await rig.screenshot(page, '135-jwt-saved');
    await dialog().getByRole('button', { name: 'Done' }).click();
    await dialog().waitFor({ state: 'detached' });
  });

  it('aws-sigv4: an access key with a session token; saved and listed, the secrets never shown', async () => {
    await openForm('AWS access key — from plugin aws-sigv4', 'Add AWS access key');
    await field('Name').fill('AWS staging');
    await field('Access key ID').fill('AKIAIOSFODNN7EXAMPLE');
    const secret = field('Secret access key');
    await secret.fill(AWS_SECRET);
    const token = field('Session token');
    await token.fill(AWS_TOKEN);
    expect(await field('Default region').inputValue()).toBe('us-east-1');
    expect(await field('Allowed hosts').inputValue()).toBe('*.amazonaws.com');
    await rig.screenshot(page, '136-aws-form', [secret, token]);
    await dialog().getByRole('button', { name: 'Add credential' }).click();
    await dialog().waitFor({ state: 'detached' });
    const item = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: 'AWS staging', exact: true }) });
    await item.waitFor();
    await rig.screenshot(page, '137-credentials-first-party');
  });

  const approval = (tool: string) => page.getByRole('alertdialog', { name: `Allow ${tool}?` });

  it('an agent’s jwt_sign waits for the person, who sees the claims; Allow once signs', async () => {
    const pending = rig.core.agents.call('claude-ai', 'jwt_sign', {
      credential: 'Deploy bot',
      claims: { sub: 'ci', scope: 'deploy:staging' },
      expires_in: 600,
    });
    const dialog = approval('jwt_sign');
    await dialog.waitFor();
    expect(await dialog.locator('dl').textContent()).toContain('Deploy bot');
    const payload = (await dialog.locator('pre.payload').textContent()) ?? '';
    expect(payload).toContain('deploy:staging');
    expect(payload).toContain('600');
    await rig.screenshot(page, '138-approval-jwt-sign');
    await dialog.getByRole('button', { name: 'Allow once', exact: true }).click();
    const result = await pending;
    expect(result.isError ?? false).toBe(false);
    expect(JSON.stringify(result)).toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/);
  });

  it('an agent’s aws_sign waits for the person, who sees the request to be signed', async () => {
    const pending = rig.core.agents.call('claude-ai', 'aws_sign', {
      credential: 'AWS staging',
      method: 'POST',
      url: 'https://sts.amazonaws.com/',
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
      service: 'sts',
    });
    const dialog = approval('aws_sign');
    await dialog.waitFor();
    const payload = (await dialog.locator('pre.payload').textContent()) ?? '';
    expect(payload).toContain('https://sts.amazonaws.com/');
    expect(payload).toContain('Action=GetCallerIdentity');
    await rig.screenshot(page, '139-approval-aws-sign');
    await dialog.getByRole('button', { name: 'Allow once', exact: true }).click();
    const result = await pending;
    expect(result.isError ?? false).toBe(false);
    // The session token is signed, never shown: the answer says it is withheld.
    const text = JSON.stringify(result);
    expect(text).toContain('AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/');
    expect(text).toContain('X-Amz-Security-Token');
  });
});
