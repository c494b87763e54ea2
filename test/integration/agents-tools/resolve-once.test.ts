import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ToolCatalog } from '../../../electron/core/agents/tools';
import type { Core } from '../../../electron/core/create-core';
import type { StoredCredential, VaultContent } from '../../../electron/core/vault/vault-content';
import { createHeadlessCore } from '../../../electron/headless/headless-core';
import { makeTempDir, resultOf, TEST_KDF_COST } from '../../support/core-fixture';
import { fixtureDir } from '../../support/plugin-fixtures';

// A tool call is resolved once: the tool and its plugin's action are looked up
// once, the credential is found by name once and its fields are read once, by
// id, when the plugin runs; nothing copies a whole decrypted credential. The
// tool list is built once per set of loaded plugins and types.

const SECRET = 'echo-SECRET-resolve-once-4242';
let core: Core;
let dataDir: string;
let service: string;

beforeAll(async () => {
  dataDir = await makeTempDir();
  service = `custodian-test-${randomUUID()}`;
  core = await createHeadlessCore({
    dataDir,
    keychainService: service,
    kdfCost: TEST_KDF_COST,
    approvals: { kind: 'headless', allowTools: ['fixture_echo'] },
  });
  resultOf(await core.dispatch('vault:create', {}));
  await core.plugins.installFromDirectory(fixtureDir('echo'), { source: 'test' });
  // Stored before echo-cred, so a search by name passes it first.
  resultOf(
    await core.dispatch('credentials:create', {
      type: 'api_key',
      name: 'another-key',
      fields: { key: 'another-SECRET-key-777' },
    }),
  );
  resultOf(
    await core.dispatch('credentials:create', {
      type: 'echo_token',
      name: 'echo-cred',
      fields: { token: SECRET },
    }),
  );
}, 120_000);

afterAll(async () => {
  await core?.close();
  for (const { account } of await keytar.findCredentials(service))
    await keytar.deletePassword(service, account);
  await rm(dataDir, { recursive: true, force: true });
});

interface ReadLog {
  /** Reads that searched the credentials by name (any credential's name was looked at). */
  byName: number;
  /** Reads that picked a credential by id without looking at names. */
  byId: number;
}

/**
 * Counts, on the real vault, the reads that look for a credential: each read's
 * callback sees the real content through getters that note which properties
 * it looks at. Reading every secret to screen output looks at neither.
 */
function countLookups(vault: Core['vault']): ReadLog & { stop(): void } {
  const log = { byName: 0, byId: 0 };
  const read = vault.read.bind(vault);
  const spy = vi.spyOn(vault, 'read').mockImplementation(((
    fn: (content: Readonly<VaultContent>) => unknown,
  ) =>
    read((content) => {
      const touched = new Set<string>();
      const watched = content.credentials.map((credential) => {
        const view = {} as StoredCredential;
        for (const key of Object.keys(credential) as (keyof StoredCredential)[])
          Object.defineProperty(view, key, {
            enumerable: true,
            get: () => {
              touched.add(key);
              return credential[key];
            },
          });
        return view;
      });
      const result = fn({ ...content, credentials: watched });
      if (touched.has('name')) log.byName++;
      else if (touched.has('id')) log.byId++;
      return result;
    })) as Core['vault']['read']);
  return {
    get byName() {
      return log.byName;
    },
    get byId() {
      return log.byId;
    },
    stop: () => spy.mockRestore(),
  };
}

describe('a plugin tool call', () => {
  it('finds its credential once by name, reads its fields once by id, and clones none', async () => {
    const clone = vi.spyOn(globalThis, 'structuredClone');
    const lookups = countLookups(core.vault);
    try {
      const result = await core.agents.call('cli', 'fixture_echo', {
        credential: 'ECHO-CRED',
        message: 'hi',
      });
      expect(result.isError).toBeUndefined();
      expect(JSON.parse(result.content[0]?.text ?? '')).toMatchObject({
        action: 'echo',
        credential_fields: ['token'],
      });
      expect({ byName: lookups.byName, byId: lookups.byId }).toEqual({ byName: 1, byId: 1 });
      const clonedCredentials = clone.mock.calls.filter(
        ([value]) => typeof value === 'object' && value !== null && 'fields' in value,
      );
      expect(clonedCredentials).toHaveLength(0);
    } finally {
      lookups.stop();
      clone.mockRestore();
    }
  });

  it('records the credential by its stored name, as the person approved it', async () => {
    await core.agents.call('cli', 'fixture_echo', { credential: ' Echo-Cred ', message: 'x' });
    const [latest] = await core.agents.audit.query({ tool: 'fixture_echo' });
    expect(latest).toMatchObject({ credential: 'echo-cred', outcome: 'succeeded' });
  });
});

describe('the tool list', () => {
  it('is built once while nothing changes, and again when a plugin is turned off or on', async () => {
    const catalog = new ToolCatalog(core);
    const first = catalog.list();
    const echo = catalog.get('fixture_echo');
    expect(echo).toBeDefined();
    await catalog.callTool('list_credentials', {});
    const second = catalog.list();
    // The same tool objects: nothing was built again.
    expect(second).toEqual(first);
    second.forEach((tool, i) => expect(tool).toBe(first[i]));
    expect(catalog.get('fixture_echo')).toBe(echo);

    await core.plugins.setEnabled('echo', false);
    expect(catalog.get('fixture_echo')).toBeUndefined();
    await core.plugins.setEnabled('echo', true);
    const rebuilt = catalog.get('fixture_echo');
    expect(rebuilt).toEqual(echo);
    expect(rebuilt).not.toBe(echo);
    expect(catalog.get('fixture_echo')).toBe(rebuilt);
  });

  it('is rebuilt when the vault locks and plugins unload, and the cached tools cannot be changed', async () => {
    const catalog = new ToolCatalog(core);
    const tool = catalog.get('http_request');
    expect(tool).toBeDefined();
    expect(() => {
      (tool as { description: string }).description = 'changed';
    }).toThrow(TypeError);
    resultOf(await core.dispatch('vault:lock', {}));
    try {
      expect(catalog.get('fixture_echo')).toBeUndefined();
    } finally {
      resultOf(await core.dispatch('vault:unlock', {}));
    }
    expect(catalog.get('fixture_echo')).toBeDefined();
  });
});

describe('a call resolved before it runs', () => {
  it('is not sent to its plugin once the plugin was turned off and on meanwhile', async () => {
    const catalog = new ToolCatalog(core);
    // Resolved, then the person takes a while to approve it, and the plugin reloads.
    const call = catalog.resolve('fixture_echo', { credential: 'echo-cred', message: 'late' });
    if (!call) throw new Error('fixture_echo did not resolve');
    expect(call.credential?.name).toBe('echo-cred');
    await core.plugins.setEnabled('echo', false);
    await core.plugins.setEnabled('echo', true);
    const result = await catalog.run(call);
    expect(result).toEqual({
      content: [
        {
          type: 'text',
          text: 'Plugin "echo" was turned off or changed while the call waited; the call was not sent to it',
        },
      ],
      isError: true,
    });
    // Resolved afresh, it runs.
    const again = catalog.resolve('fixture_echo', { credential: 'echo-cred', message: 'late' });
    if (!again) throw new Error('fixture_echo did not resolve');
    const ran = await catalog.run(again);
    expect(ran.isError).toBeUndefined();
    expect(ran.content[0]?.text).toContain('late');
  });
});
