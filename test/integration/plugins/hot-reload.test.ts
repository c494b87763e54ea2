import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultOf, startCore, type CoreFixture } from '../../support/core-fixture';
import { fixtureDir } from '../../support/plugin-fixtures';

// A plugin author rebuilds; the running app picks the change up by itself.

let fixture: CoreFixture;
let changes = 0;

beforeAll(async () => {
  fixture = await startCore({ watchPlugins: true });
  resultOf(await fixture.core.dispatch('vault:create', {}));
  fixture.core.events.on('plugins:changed', () => changes++);
  await fixture.core.plugins.installFromDirectory(fixtureDir('echo'), {
    source: 'test',
    development: true,
  });
  await fixture.core.plugins.installFromDirectory(fixtureDir('trap'), { source: 'test' });
});
afterAll(() => fixture.cleanup());

/** Waits (bounded) until the registry shows what `check` looks for; file watching is asynchronous. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const info = (name: string) => fixture.core.plugins.list().find((p) => p.name === name);

describe('hot reload', () => {
  it('reloads a development plugin whose manifest changes, and tells the window', async () => {
    const before = changes;
    const path = join(fixture.core.plugins.root, 'echo', 'plugin.toml');
    const toml = await readFile(path, 'utf8');
    await writeFile(
      path,
      toml.replace(/^description = ".*"$/m, 'description = "Rebuilt by its author"'),
    );
    await until(() => info('echo')?.description === 'Rebuilt by its author', 'the new description');
    expect(info('echo')?.error).toBeUndefined();
    expect(info('echo')?.status).toBe('loaded');
    expect(changes).toBeGreaterThan(before);
    expect((await fixture.core.pluginCalls.run({ plugin: 'echo', action: 'echo' })).code).toBe(0);
  });

  it('a development plugin’s new module is accepted and its hash recorded', async () => {
    const dir = join(fixture.core.plugins.root, 'echo');
    const vultrino = await readFile(join(fixtureDir('vultrino-echo'), 'plugin.wasm'));
    await writeFile(join(dir, 'plugin.wasm'), vultrino);
    await until(() => info('echo')?.abi === 'vultrino', 'the new module');
    const record = JSON.parse(await readFile(join(dir, '.installed.json'), 'utf8'));
    const { createHash } = await import('node:crypto');
    expect(record.sha256).toBe(createHash('sha256').update(vultrino).digest('hex'));
  });

  it('the registry’s own write of .installed.json does not reload the plugin a second time', async () => {
    const before = changes;
    await fixture.core.plugins.setEnabled('echo', false);
    // Give the watcher well past its debounce to (wrongly) react.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(changes - before).toBe(1);
    await fixture.core.plugins.setEnabled('echo', true);
  });

  it('an installed (not development) plugin whose module changes is refused, not run', async () => {
    const wasm = join(fixture.core.plugins.root, 'trap', 'plugin.wasm');
    await writeFile(wasm, await readFile(join(fixtureDir('echo'), 'plugin.wasm')));
    await until(() => info('trap')?.status === 'error', 'the refusal');
    expect(info('trap')?.error).toMatch(/changed since it was installed/);
  });
});
