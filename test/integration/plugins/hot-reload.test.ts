import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultOf, startCore, type CoreFixture } from '../../support/core-fixture';
import { eventually } from '../../support/eventually';
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

// File watching is asynchronous: a change shows in the registry a debounce later.
const WATCHED = { timeoutMs: 10_000, intervalMs: 50 };

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
    await eventually(() => info('echo')?.description === 'Rebuilt by its author', {
      ...WATCHED,
      message: 'the new description',
    });
    expect(info('echo')?.error).toBeUndefined();
    expect(info('echo')?.status).toBe('loaded');
    expect(changes).toBeGreaterThan(before);
    expect((await fixture.core.pluginCalls.run({ plugin: 'echo', action: 'echo' })).code).toBe(0);
  });

  it('a development plugin’s new module is accepted and its hash recorded', async () => {
    const dir = join(fixture.core.plugins.root, 'echo');
    const vultrino = await readFile(join(fixtureDir('vultrino-echo'), 'plugin.wasm'));
    await writeFile(join(dir, 'plugin.wasm'), vultrino);
    await eventually(() => info('echo')?.abi === 'vultrino', {
      ...WATCHED,
      message: 'the new module',
    });
    const record = JSON.parse(await readFile(join(dir, '.installed.json'), 'utf8'));
    const { createHash } = await import('node:crypto');
    expect(record.sha256).toBe(createHash('sha256').update(vultrino).digest('hex'));
  });

  it('the registry’s own write of .installed.json does not reload the plugin a second time', async () => {
    const before = changes;
    await fixture.core.plugins.setEnabled('echo', false);
    // Give the watcher three times its 200 ms debounce to (wrongly) react; the
    // watcher takes no clock, so this one waits in real time.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(changes - before).toBe(1);
    await fixture.core.plugins.setEnabled('echo', true);
  });

  it('an installed (not development) plugin whose module changes is refused, not run', async () => {
    const wasm = join(fixture.core.plugins.root, 'trap', 'plugin.wasm');
    await writeFile(wasm, await readFile(join(fixtureDir('echo'), 'plugin.wasm')));
    await eventually(() => info('trap')?.status === 'error', {
      ...WATCHED,
      message: 'the refusal',
    });
    expect(info('trap')?.error).toMatch(/changed since it was installed/);
  });
});
