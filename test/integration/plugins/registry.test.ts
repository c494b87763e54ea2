import { readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultOf, startCore, type CoreFixture } from '../../support/core-fixture';
import { editedFixture, fixtureDir } from '../../support/plugin-fixtures';

// The plugins folder and main's side of a call, through the real plugin host
// with fixture plugins built from source.

let fixture: CoreFixture;
const install = (
  name: string,
  options: Parameters<CoreFixture['core']['plugins']['installFromDirectory']>[1] = {
    source: 'test',
  },
) => fixture.core.plugins.installFromDirectory(fixtureDir(name), options);

beforeAll(async () => {
  fixture = await startCore();
  resultOf(await fixture.core.dispatch('vault:create', {}));
});
afterAll(() => fixture.cleanup());

describe('installing and loading', () => {
  it('installs a plugin folder, records what was installed and loads it', async () => {
    const info = await install('echo');
    expect(info).toMatchObject({
      name: 'echo',
      status: 'loaded',
      enabled: true,
      abi: 'extism',
      tools: [{ name: 'fixture_echo' }],
    });
    const record = JSON.parse(
      await readFile(join(fixture.core.plugins.root, 'echo', '.installed.json'), 'utf8'),
    );
    expect(record).toMatchObject({
      source: 'test',
      version: '1.0.0',
      enabled: true,
      development: false,
    });
    expect(record.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(record.installedAt)).not.toBeNaN();
    expect((await stat(join(fixture.core.plugins.root, 'echo'))).isDirectory()).toBe(true);
  });

  it('offers the plugin’s credential types to forms, marked with their source', async () => {
    const types = resultOf(await fixture.core.dispatch('credentialTypes:list', {}));
    expect(types.find((t) => t.name === 'echo_token')).toMatchObject({
      source: 'plugin:echo',
      display_name: 'Echo token',
    });
    const created = await fixture.core.dispatch('credentials:create', {
      type: 'echo_token',
      name: 'Echo one',
      fields: {},
    });
    expect(created).toMatchObject({
      error: { code: 'invalid_input', fields: { token: 'Token is required' } },
    });
    resultOf(
      await fixture.core.dispatch('credentials:create', {
        type: 'echo_token',
        name: 'Echo one',
        fields: { token: 'echo-secret-value' },
      }),
    );
  });

  it('loads a Vultrino-ABI module too', async () => {
    expect(await install('vultrino-echo')).toMatchObject({ status: 'loaded', abi: 'vultrino' });
  });

  it('reloads every enabled plugin at the next unlock', async () => {
    resultOf(await fixture.core.dispatch('vault:lock', {}));
    expect(fixture.core.plugins.list()).toEqual([]);
    resultOf(await fixture.core.dispatch('vault:unlock', {}));
    expect(fixture.core.plugins.list().map((p) => [p.name, p.status])).toEqual([
      ['echo', 'loaded'],
      ['vultrino-echo', 'loaded'],
    ]);
  });

  it('refuses a tool name a built-in or another plugin already uses, leaving the folder as it was', async () => {
    const before = await readdir(fixture.core.plugins.root);
    const builtin = await editedFixture(
      'trap',
      (toml) => `${toml}\n[[mcp_tools]]\nname = "http_request"\naction = "trap"\n`,
    );
    await expect(
      fixture.core.plugins.installFromDirectory(builtin, { source: 'test' }),
    ).rejects.toThrow(/"http_request" is already offered by Custodian itself/);
    const taken = await editedFixture(
      'trap',
      (toml) => `${toml}\n[[mcp_tools]]\nname = "fixture_echo"\naction = "trap"\n`,
    );
    await expect(
      fixture.core.plugins.installFromDirectory(taken, { source: 'test' }),
    ).rejects.toThrow(/"fixture_echo" is already offered by plugin "echo"/);
    expect(await readdir(fixture.core.plugins.root)).toEqual(before);
  });

  it('refuses a broken manifest with its file, line and field', async () => {
    const syntax = await editedFixture('trap', (toml) =>
      toml.replace('version = "1.0.0"', 'version = '),
    );
    await expect(
      fixture.core.plugins.installFromDirectory(syntax, { source: 'test' }),
    ).rejects.toThrow(/plugin\.toml:\d+:\d+: /);
    const field = await editedFixture('trap', (toml) =>
      toml.replace('type = "password"', 'type = "secret"'),
    );
    await expect(
      fixture.core.plugins.installFromDirectory(field, { source: 'test' }),
    ).rejects.toThrow(/credential_types\[0\] \("trap_token"\)\.fields\[0\] \("token"\)\.type/);
  });

  it('refuses a module changed behind the app’s back, at the next load', async () => {
    await install('trap');
    const wasm = join(fixture.core.plugins.root, 'trap', 'plugin.wasm');
    const bytes = await readFile(wasm);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    await writeFile(wasm, bytes);
    await fixture.core.plugins.reload('trap');
    expect(fixture.core.plugins.list().find((p) => p.name === 'trap')).toMatchObject({
      status: 'error',
      error: 'its wasm module changed since it was installed; reinstall it',
    });
    await fixture.core.plugins.uninstall('trap');
  });

  it('adopts a folder copied in by hand as a development plugin, off and granted nothing', async () => {
    const { cp } = await import('node:fs/promises');
    await cp(fixtureDir('crypto-probe'), join(fixture.core.plugins.root, 'crypto-probe'), {
      recursive: true,
    });
    await fixture.core.plugins.reload('crypto-probe');
    expect(fixture.core.plugins.list().find((p) => p.name === 'crypto-probe')).toMatchObject({
      status: 'disabled',
      development: true,
      granted: { crypto: false, log: false, http: [] },
    });
    await fixture.core.plugins.uninstall('crypto-probe');
  });
});

describe('turning plugins off and removing them', () => {
  it('a disabled plugin’s types and actions are gone until it is enabled again', async () => {
    resultOf(await fixture.core.dispatch('plugins:setEnabled', { name: 'echo', enabled: false }));
    expect(
      resultOf(await fixture.core.dispatch('credentialTypes:list', {})).map((t) => t.name),
    ).not.toContain('echo_token');
    await expect(fixture.core.pluginCalls.run({ plugin: 'echo', action: 'echo' })).rejects.toThrow(
      /not installed, not enabled or did not load/,
    );
    const info = resultOf(
      await fixture.core.dispatch('plugins:setEnabled', { name: 'echo', enabled: true }),
    );
    expect(info.status).toBe('loaded');
    expect((await fixture.core.pluginCalls.run({ plugin: 'echo', action: 'echo' })).code).toBe(0);
  });

  it('uninstall removes the folder; credentials of its types stay in the vault', async () => {
    await install('huge-output');
    resultOf(await fixture.core.dispatch('plugins:uninstall', { name: 'huge-output' }));
    expect(await readdir(fixture.core.plugins.root)).not.toContain('huge-output');
    expect(fixture.core.plugins.list().map((p) => p.name)).not.toContain('huge-output');
    expect(
      resultOf(await fixture.core.dispatch('credentials:list', {})).map((c) => c.name),
    ).toContain('Echo one');
    expect(await fixture.core.dispatch('plugins:uninstall', { name: 'huge-output' })).toMatchObject(
      { error: { code: 'not_found' } },
    );
  });

  it('plugin channels need the vault unlocked, and installing does too', async () => {
    resultOf(await fixture.core.dispatch('vault:lock', {}));
    expect(await fixture.core.dispatch('plugins:list', {})).toMatchObject({
      error: { code: 'vault_locked' },
    });
    await expect(install('trap')).rejects.toMatchObject({ code: 'vault_locked' });
    expect(await readdir(fixture.core.plugins.root)).not.toContain('trap');
    resultOf(await fixture.core.dispatch('vault:unlock', {}));
  });

  it('sweeps staging folders a crashed install left behind', async () => {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(fixture.core.plugins.root, '.staging-ghost-1234'));
    resultOf(await fixture.core.dispatch('vault:lock', {}));
    resultOf(await fixture.core.dispatch('vault:unlock', {}));
    expect((await readdir(fixture.core.plugins.root)).filter((n) => n.startsWith('.'))).toEqual([]);
    await rm(join(fixture.core.plugins.root, '.staging-ghost-1234'), {
      recursive: true,
      force: true,
    });
  });
});
