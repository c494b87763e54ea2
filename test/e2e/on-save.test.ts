import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StoredCredential } from '../../electron/core/vault/vault-content';
import { editedFixture, fixtureDir } from '../support/plugin-fixtures';
import { startRig, ZOOM_200, type Rig } from './harness';
import { focusReport, horizontalOverflow, pageText } from './page-checks';

// A plugin credential type that names an on_save action, through the window:
// after Add or Edit the dialog shows what the plugin found (the echo fixture's
// answer: its action, its parameters, the names of the fields that hold a
// value) until Done; a rename alone is not checked and closes at once; a type
// whose check refuses shows the plugin's message on its secret field and
// stores nothing. Tests run in order on one vault; each leaves the list showing.

const run = Date.now().toString(36);
const TOKEN = `echo-onsave-secret-${run}`;
const TOKEN_NEW = `echo-onsave-new-${run}`;
const REFUSED_TOKEN = `echo-refused-secret-${run}`;
/** 128 hex digits without a break: longer than any fingerprint, it must wrap at 200% zoom. */
const DIGEST = 'ABCDEF0123456789'.repeat(8);
const CREATED = '2026-11-22T05:00:00Z';
/**
 * A default for echo's `options` parameter, shaped like what pgp's key_info
 * answers; the check passes its parameters back, so the Saved view shows it.
 * (TOML has no null: a null value is the unit test's business.)
 */
const KEY_INFO_TOML = `{ fingerprint = "${DIGEST}", key_id = "0123456789ABCDEF", algorithm = "EdDSA (Ed25519)", created = "${CREATED}", revoked = false, user_ids = ["A <a@example.org>"], subkeys = [{ key_id = "FEDCBA9876543210", capabilities = ["sign"], expired = true }] }`;

/** The echo fixture with `on_save = "echo"`, and a key_info-like default for its options. */
const checkingEcho = () =>
  editedFixture('echo', (toml) =>
    replaceOnce(
      replaceOnce(
        toml,
        'display_name = "Echo token"',
        'display_name = "Echo token"\non_save = "echo"',
      ),
      'name = "options"\ntype = "object"\n',
      `name = "options"\ntype = "object"\ndefault = ${KEY_INFO_TOML}\n`,
    ),
  );

/** A second copy, named apart from echo, whose type's check always refuses (`on_save = "fail"`). */
const refusingEcho = () =>
  editedFixture('echo', (toml) =>
    [
      ['name = "echo"', 'name = "echo-refuse"'],
      ['name = "echo_token"', 'name = "refuse_token"'],
      ['display_name = "Echo token"', 'display_name = "Refusing token"\non_save = "fail"'],
      ['name = "fixture_echo"', 'name = "fixture_refuse"'],
    ].reduce((text, [from = '', to = '']) => replaceOnce(text, from, to), toml),
  );

function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the fixture's plugin.toml has no ${from}`);
  return text.replace(from, to);
}

describe('what a plugin’s on_save check found, in the window', () => {
  let rig: Rig;
  let page: Page;
  const copies: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(fixtureDir('echo'), 'plugin.wasm')))
      throw new Error(`${fixtureDir('echo')} is not built: run \`npm run plugins:build\` first.`);
    rig = await startRig();
    const created = await rig.core.dispatch('vault:create', {});
    expect('result' in created).toBe(true);
    for (const copy of [await checkingEcho(), await refusingEcho()]) {
      copies.push(dirname(copy));
      await rig.core.plugins.installFromDirectory(copy, { source: 'local' });
    }
    expect(rig.core.plugins.list().map((p) => [p.name, p.status])).toEqual([
      ['echo', 'loaded'],
      ['echo-refuse', 'loaded'],
    ]);
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
    for (const copy of copies) await rm(copy, { recursive: true, force: true });
  });

  const dialog = (on: Page = page) => on.getByRole('dialog');
  const field = (label: string, on: Page = page) => dialog(on).getByLabel(label, { exact: true });
  const stored = (name: string): StoredCredential | undefined =>
    rig.core.vault.read((content) => content.credentials.find((c) => c.name === name));
  const storedCount = () => rig.core.vault.read((content) => content.credentials.length);
  const listItem = (name: string) =>
    page.getByRole('listitem').filter({ has: page.getByRole('heading', { name, exact: true }) });
  const findings = (on: Page = page) => dialog(on).locator('dl.inspection').first();
  /**
   * The top-level rows as "Label: value": list items joined with ", ", nested
   * rows with "; ", each item of a headed group as "Heading (rows)".
   */
  const rowTexts = (on: Page = page): Promise<string[]> =>
    findings(on).evaluate((root) => {
      const flat = (dd: PageElement): string => {
        const nested = dd.querySelector(':scope > dl');
        if (nested) return rows(nested).join('; ');
        const groups = dd.querySelector(':scope > ul.inspection-groups');
        if (groups)
          return Array.from(groups.children, (li) => {
            const heading = li.querySelector(':scope > h3, :scope > h4, :scope > h5, :scope > h6');
            const rowsOf = li.querySelector(':scope > dl');
            return `${heading?.textContent ?? ''} (${rowsOf ? rows(rowsOf).join('; ') : ''})`;
          }).join(', ');
        const list = dd.querySelector(':scope > ul');
        if (list) return Array.from(list.children, (li) => li.textContent ?? '').join(', ');
        return dd.textContent ?? '';
      };
      const rows = (list: PageElement): string[] =>
        Array.from(list.children, (row) => {
          const dd = row.querySelector(':scope > dd');
          return `${row.querySelector(':scope > dt')?.textContent ?? ''}: ${dd ? flat(dd) : ''}`;
        });
      return rows(root as unknown as PageElement);
    });

  async function addEcho(name: string, on: Page = page) {
    await on.getByRole('button', { name: 'Add credential' }).click();
    await dialog(on).getByRole('button', { name: 'Echo token — from plugin echo' }).click();
    await field('Name', on).fill(name);
    await field('Token', on).fill(TOKEN);
    await field('Label', on).fill('staging');
    await dialog(on).getByRole('button', { name: 'Add credential' }).click();
    await dialog(on)
      .getByRole('heading', { level: 2, name: `Saved “${name}”`, exact: true })
      .waitFor();
  }

  it('after Add, shows what the plugin found until Done, then the credential is in the list', async () => {
    await addEcho('Checked echo');
    expect(await dialog().getAttribute('aria-describedby')).toBeTruthy();
    await dialog()
      .getByText('The plugin checked this credential and found:', { exact: true })
      .waitFor();
    // The view is read from its top: its title has the focus.
    await expect.poll(async () => (await focusReport(page)).text).toBe('Saved “Checked echo”');
    expect((await focusReport(page)).inDialog).toBe(true);
    // The form is gone; what the echo action answered is shown, keys in words.
    expect(await dialog().locator('form').count()).toBe(0);
    // Dates in the person's own locale and time zone, as the credential list shows them.
    const created = await page.evaluate(
      (iso) =>
        new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(
          new Date(iso),
        ),
      CREATED,
    );
    expect(created).not.toContain('2026-11-22T');
    expect(await findings().locator(`time[datetime="${CREATED}"]`).textContent()).toBe(created);
    expect(await rowTexts()).toEqual([
      'Action: echo',
      'Parameters: ' +
        [
          `Options: Fingerprint: ${DIGEST}`,
          'Key ID: 0123456789ABCDEF',
          'Algorithm: EdDSA (Ed25519)',
          `Created: ${created}`,
          'Revoked: No',
          'User IDs: A <a@example.org>',
          'Subkeys: Subkey 1 (Key ID: FEDCBA9876543210; Capabilities: sign; Expired: Yes)',
          'Mode: plain',
        ].join('; '),
      'Credential fields: enabled, label, token',
    ]);
    // The same for assistive technology: terms (read with their colon) and
    // definitions, a list per array, and a heading for each subkey.
    expect(await findings().ariaSnapshot()).toBe(
      [
        '- term: "Action:"',
        '- definition: echo',
        '- term: "Parameters:"',
        '- definition:',
        '  - term: "Options:"',
        '  - definition:',
        '    - term: "Fingerprint:"',
        `    - definition: ${DIGEST}`,
        '    - term: "Key ID:"',
        '    - definition: 0123456789ABCDEF',
        '    - term: "Algorithm:"',
        '    - definition: EdDSA (Ed25519)',
        '    - term: "Created:"',
        '    - definition:',
        `      - time: ${created}`,
        '    - term: "Revoked:"',
        '    - definition: "No"',
        '    - term: "User IDs:"',
        '    - definition:',
        '      - list:',
        '        - listitem: A <a@example.org>',
        '    - term: "Subkeys:"',
        '    - definition:',
        '      - list:',
        '        - listitem:',
        '          - heading "Subkey 1" [level=5]',
        '          - term: "Key ID:"',
        '          - definition: FEDCBA9876543210',
        '          - term: "Capabilities:"',
        '          - definition:',
        '            - list:',
        '              - listitem: sign',
        '          - term: "Expired:"',
        '          - definition: "Yes"',
        '  - term: "Mode:"',
        '  - definition: plain',
        '- term: "Credential fields:"',
        '- definition:',
        '  - list:',
        '    - listitem: enabled',
        '    - listitem: label',
        '    - listitem: token',
      ].join('\n'),
    );
    // It is saved already: Done only closes.
    expect(stored('Checked echo')?.fields.token === TOKEN, 'stored as typed').toBe(true);
    expect(rig.ipcLog.filter((entry) => entry.channel === 'credentials:create')).toHaveLength(1);
    await rig.screenshot(page, '60-saved-inspection');

    await dialog().getByRole('button', { name: 'Done' }).click();
    await dialog().waitFor({ state: 'detached' });
    await expect.poll(async () => (await focusReport(page)).text).toBe('Add credential');
    await listItem('Checked echo').waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: 'Added “Checked echo”.' })
      .waitFor({ state: 'attached' });
    expect((await pageText(page)).includes(TOKEN)).toBe(false);
    expect(rig.ipcLog.some((entry) => entry.response.includes(TOKEN))).toBe(false);
  });

  it('editing the checked fields shows the Saved view again; a rename alone closes at once', async () => {
    await listItem('Checked echo').getByRole('button', { name: 'Edit Checked echo' }).click();
    await field('Token').fill(TOKEN_NEW);
    await field('Label').fill('');
    await dialog().getByRole('button', { name: 'Save changes' }).click();
    await dialog()
      .getByRole('heading', { level: 2, name: 'Saved “Checked echo”', exact: true })
      .waitFor();
    // Checked again: the label was cleared, so the plugin saw one field fewer.
    const rows = await rowTexts();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toBe('Action: echo');
    expect(rows[1]).toMatch(/^Parameters: Options: Fingerprint: /);
    expect(rows[2]).toBe('Credential fields: enabled, token');
    await expect.poll(async () => (await focusReport(page)).text).toBe('Saved “Checked echo”');
    expect(stored('Checked echo')?.fields.token === TOKEN_NEW, 'the new token is stored').toBe(
      true,
    );
    expect(stored('Checked echo')?.fields.label).toBeUndefined();
    await dialog().getByRole('button', { name: 'Done' }).click();
    await dialog().waitFor({ state: 'detached' });
    await expect.poll(async () => (await focusReport(page)).text).toBe('Edit Checked echo');

    // A rename changes no field: nothing is checked, so the dialog closes on save as before.
    const before = rig.ipcLog.length;
    await listItem('Checked echo').getByRole('button', { name: 'Edit Checked echo' }).click();
    await field('Name').fill('Renamed echo');
    await dialog().getByRole('button', { name: 'Save changes' }).click();
    await dialog().waitFor({ state: 'detached' });
    await listItem('Renamed echo').waitFor();
    const update = rig.ipcLog.slice(before).find((entry) => entry.channel === 'credentials:update');
    expect(update?.response).not.toContain('inspection');
    expect(stored('Renamed echo')?.fields.token === TOKEN_NEW).toBe(true);
    expect((await pageText(page)).includes(TOKEN_NEW)).toBe(false);
    expect(rig.ipcLog.some((entry) => entry.response.includes(TOKEN_NEW))).toBe(false);
  });

  it('a check that refuses puts the plugin’s message on the Token field and stores nothing', async () => {
    const count = storedCount();
    await page.getByRole('button', { name: 'Add credential' }).click();
    await dialog()
      .getByRole('button', { name: 'Refusing token — from plugin echo-refuse' })
      .click();
    await field('Name').fill('Refused echo');
    await field('Token').fill(REFUSED_TOKEN);
    await dialog().getByRole('button', { name: 'Add credential' }).click();
    await dialog().getByText('echo was asked to fail', { exact: true }).waitFor();

    // Inline, tied to the input, which has the focus so the message is read out.
    const token = field('Token');
    expect(await token.getAttribute('aria-invalid')).toBe('true');
    const ids = ((await token.getAttribute('aria-describedby')) ?? '').split(' ');
    const messages = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(messages).toContain('echo was asked to fail');
    expect(await token.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    // No other input is marked, no form-wide alert, and the form is still there to fix.
    expect(await dialog().locator('[aria-invalid="true"]').count()).toBe(1);
    expect(await dialog().getByRole('alert').count()).toBe(0);
    expect(await dialog().locator('dl.inspection').count()).toBe(0);
    expect(stored('Refused echo')).toBeUndefined();
    expect(storedCount()).toBe(count);
    await rig.screenshot(page, '62-on-save-refused', [token]);

    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    expect(await listItem('Refused echo').count()).toBe(0);
    expect(rig.ipcLog.some((entry) => entry.response.includes(REFUSED_TOKEN))).toBe(false);
  });

  it('stays readable at 200% zoom: the long unbroken value wraps, nothing scrolls sideways', async () => {
    const zoomed = await rig.newPage(ZOOM_200);
    await zoomed.goto('/');
    await zoomed.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();
    await addEcho('Zoomed echo', zoomed);
    const report = await horizontalOverflow(zoomed);
    expect(report.offenders).toEqual([]);
    expect(report.scrollWidth).toBeLessThanOrEqual(report.clientWidth);
    // The digest breaks over lines inside the dialog instead of running out of it.
    const digest = dialog(zoomed).getByText(DIGEST, { exact: true });
    const [box, frame] = await Promise.all([digest.boundingBox(), dialog(zoomed).boundingBox()]);
    expect(box && frame).toBeTruthy();
    if (box && frame) {
      expect(box.x + box.width).toBeLessThanOrEqual(frame.x + frame.width);
      expect(box.height).toBeGreaterThan(30);
    }
    await digest.scrollIntoViewIfNeeded();
    await rig.screenshot(zoomed, '61-zoom-200-saved-inspection');
    await dialog(zoomed).getByRole('button', { name: 'Done' }).click();
    await dialog(zoomed).waitFor({ state: 'detached' });
    await zoomed.close();
  });
});

/** What rowTexts uses of a DOM element; test code is type-checked without the DOM library. */
interface PageElement {
  readonly children: ArrayLike<PageElement>;
  readonly textContent: string | null;
  querySelector(selectors: string): PageElement | null;
}
