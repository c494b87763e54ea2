import { readdir, readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { AGENT_TOOLS_FILE, agentToolsFileSchema } from '../../../shared/agent-tools-file';
import { resultOf, startCore, type CoreFixture } from '../../support/core-fixture';
import { fixtureDir } from '../../support/plugin-fixtures';

// agent-tools.json: the core keeps the tools an agent may see in the data
// folder, for the bridge to answer from while the app is closed. Rewritten
// when that list changes with the vault open; a lock (which unloads the
// plugins) leaves the person's list as it was.

let fixture: CoreFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

async function saved(f: CoreFixture): Promise<string[]> {
  // Queued after every check so far: what they wrote is on disk.
  await f.core.agents.checkToolsChanged();
  const text = await readFile(join(f.dataDir, AGENT_TOOLS_FILE), 'utf8');
  return agentToolsFileSchema.parse(JSON.parse(text)).tools.map((tool) => tool.name);
}

describe(AGENT_TOOLS_FILE, () => {
  it('follows the enabled tools while unlocked, is kept through a lock, and holds the full MCP shape', async () => {
    fixture = await startCore();
    const f = fixture;
    resultOf(await f.core.dispatch('vault:create', {}));
    expect(await saved(f)).toEqual(['list_credentials', 'credential_info', 'http_request']);
    await f.core.plugins.installFromDirectory(fixtureDir('echo'), { source: 'test' });
    expect(await saved(f)).toEqual([
      'list_credentials',
      'credential_info',
      'http_request',
      'fixture_echo',
    ]);
    // Off: an agent may not see it, so the bridge must not list it either.
    resultOf(await f.core.dispatch('tools:setMode', { name: 'http_request', mode: 'off' }));
    expect(await saved(f)).toEqual(['list_credentials', 'credential_info', 'fixture_echo']);
    const before = await readFile(join(f.dataDir, AGENT_TOOLS_FILE), 'utf8');
    resultOf(await f.core.dispatch('vault:lock', {}));
    await f.core.agents.checkToolsChanged();
    expect(await readFile(join(f.dataDir, AGENT_TOOLS_FILE), 'utf8')).toBe(before);
    // Exactly what tools:list answers an agent, annotations and schemas included.
    resultOf(await f.core.dispatch('vault:unlock', {}));
    await f.core.agents.checkToolsChanged();
    const file = agentToolsFileSchema.parse(
      JSON.parse(await readFile(join(f.dataDir, AGENT_TOOLS_FILE), 'utf8')),
    );
    expect(file.tools).toEqual(await f.core.agents.enabledTools());
    expect(file.tools[0]).toMatchObject({
      title: 'List credentials',
      annotations: { readOnlyHint: true },
      outputSchema: { type: 'object' },
    });
    // Written by rename: no temp file is left beside it.
    expect((await readdir(f.dataDir)).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });
});
