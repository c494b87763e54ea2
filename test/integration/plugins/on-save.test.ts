import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { resultOf, startCore, type CoreFixture } from '../../support/core-fixture';
import { editedFixture } from '../../support/plugin-fixtures';

// A plugin credential type may name an action main runs on every save: its
// refusal refuses the save, its answer is shown to the person.

let fixture: CoreFixture;
beforeAll(async () => {
  fixture = await startCore();
  resultOf(await fixture.core.dispatch('vault:create', {}));
});
afterAll(() => fixture.cleanup());
afterEach(async () => {
  if (fixture.core.plugins.list().some((p) => p.name === 'echo'))
    await fixture.core.plugins.uninstall('echo');
});

const withOnSave = (action: string) =>
  editedFixture('echo', (toml) =>
    toml.replace(
      'display_name = "Echo token"',
      `display_name = "Echo token"\non_save = "${action}"`,
    ),
  );

describe('on_save', () => {
  it('a refusal refuses the save with the plugin’s message on the secret field, and stores nothing', async () => {
    await fixture.core.plugins.installFromDirectory(await withOnSave('fail'), { source: 'test' });
    const answer = await fixture.core.dispatch('credentials:create', {
      type: 'echo_token',
      name: 'refused',
      fields: { token: 'some-token-value' },
    });
    expect(answer).toMatchObject({
      error: {
        code: 'invalid_input',
        message: 'echo was asked to fail',
        fields: { token: 'echo was asked to fail' },
      },
    });
    expect(resultOf(await fixture.core.dispatch('credentials:list', {}))).toEqual([]);
  });

  it('an answer comes back with the save; a change of fields is checked again, a rename alone is not', async () => {
    await fixture.core.plugins.installFromDirectory(await withOnSave('echo'), { source: 'test' });
    const created = resultOf(
      await fixture.core.dispatch('credentials:create', {
        type: 'echo_token',
        name: 'checked',
        fields: { token: 'some-token-value', label: 'L' },
      }),
    );
    expect(created.inspection).toEqual({
      action: 'echo',
      parameters: { mode: 'plain' },
      credential_fields: ['label', 'token'],
    });
    const changed = resultOf(
      await fixture.core.dispatch('credentials:update', {
        id: created.id,
        fields: { token: 'another-token-value' },
        clear: ['label'],
      }),
    );
    expect(changed.inspection).toEqual({
      action: 'echo',
      parameters: { mode: 'plain' },
      credential_fields: ['token'],
    });
    const renamed = resultOf(
      await fixture.core.dispatch('credentials:update', { id: created.id, name: 'renamed' }),
    );
    expect(renamed.inspection).toBeUndefined();
  });

  it('a manifest naming a missing on_save action is refused', async () => {
    await expect(
      fixture.core.plugins.installFromDirectory(await withOnSave('nope'), { source: 'test' }),
    ).rejects.toThrow(/credential_types\[0\] \("echo_token"\)\.on_save: names no action/);
  });

  it('while the plugin is off, a credential of its type cannot be saved unchecked', async () => {
    await fixture.core.plugins.installFromDirectory(await withOnSave('echo'), {
      source: 'test',
      enabled: false,
    });
    const answer = await fixture.core.dispatch('credentials:create', {
      type: 'echo_token',
      name: 'unchecked',
      fields: { token: 'some-token-value' },
    });
    expect(answer).toMatchObject({ error: { code: 'invalid_input' } });
  });
});
