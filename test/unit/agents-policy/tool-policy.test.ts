import * as fs from 'node:fs/promises';
import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  defaultFor,
  TOOL_POLICY_FILE,
  ToolPolicyStore,
  type PolicyTool,
  type ToolPolicyChange,
} from '../../../electron/core/agents/policy/tool-policy';

// The tool policy store on a real temporary folder.

const LIST: PolicyTool = { name: 'list_credentials', readOnly: true };
const INFO: PolicyTool = { name: 'credential_info', readOnly: true };
const HTTP: PolicyTool = { name: 'http_request', readOnly: false };
const SIGN: PolicyTool = { name: 'pgp_sign', readOnly: false };
const VERIFY: PolicyTool = { name: 'pgp_verify', readOnly: true };

let dir: string;
let logs: string[];
const open = (dataDir = dir) =>
  new ToolPolicyStore({ dataDir, fs, log: (message) => logs.push(message) });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'custodian-policy-'));
  logs = [];
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('defaultFor', () => {
  it('allows read-only built-ins, asks for http_request and for plugin tools unless read-only', () => {
    expect(defaultFor(LIST)).toBe('allow');
    expect(defaultFor(INFO)).toBe('allow');
    expect(defaultFor(HTTP)).toBe('ask');
    expect(defaultFor(SIGN)).toBe('ask');
    expect(defaultFor(VERIFY)).toBe('allow');
  });

  it('keeps http_request asking even when a caller calls it read-only', () => {
    expect(defaultFor({ name: 'http_request', readOnly: true })).toBe('ask');
    // The read-only built-ins stay allowed whatever flag they are given.
    expect(defaultFor({ name: 'list_credentials', readOnly: false })).toBe('allow');
  });
});

describe('ToolPolicyStore', () => {
  it('answers defaults with no file, and reading creates none', async () => {
    const store = open();
    expect(await store.get(HTTP)).toBe('ask');
    expect(await store.list([LIST, INFO, HTTP, SIGN, VERIFY])).toEqual([
      { name: 'list_credentials', readOnly: true, mode: 'allow', isDefault: true },
      { name: 'credential_info', readOnly: true, mode: 'allow', isDefault: true },
      { name: 'http_request', readOnly: false, mode: 'ask', isDefault: true },
      { name: 'pgp_sign', readOnly: false, mode: 'ask', isDefault: true },
      { name: 'pgp_verify', readOnly: true, mode: 'allow', isDefault: true },
    ]);
    await expect(stat(join(dir, TOOL_POLICY_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(logs).toEqual([]);
  });

  it('persists chosen modes across instances in a 0600 file holding only what was chosen', async () => {
    const first = open();
    await first.set(SIGN, 'allow');
    await first.set(LIST, 'off');

    const second = open();
    expect(await second.get(SIGN)).toBe('allow');
    expect(await second.get(LIST)).toBe('off');
    expect(await second.get(HTTP)).toBe('ask');
    expect((await second.list([SIGN, HTTP])).map((e) => e.isDefault)).toEqual([false, true]);

    const path = join(dir, TOOL_POLICY_FILE);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      version: 1,
      tools: { list_credentials: 'off', pgp_sign: 'allow' },
    });
    // No temp files left behind by the atomic write.
    expect(await fs.readdir(dir)).toEqual([TOOL_POLICY_FILE]);
  });

  it('creates a missing data folder when saving', async () => {
    const nested = join(dir, 'deeper', 'data');
    await open(nested).set(SIGN, 'off');
    expect(await open(nested).get(SIGN)).toBe('off');
  });

  it.each([
    ['invalid JSON', '{"version": 1, "tools": {'],
    ['an unknown mode', '{"version": 1, "tools": {"pgp_sign": "always"}}'],
    ['a newer version', '{"version": 2, "tools": {}}'],
    ['a non-object root', '[1, 2, 3]'],
  ])(
    'falls back to defaults on a file with %s, says so once, and rewrites it on the next change',
    async (_, body) => {
      const path = join(dir, TOOL_POLICY_FILE);
      await writeFile(path, body);
      const store = open();
      expect(await store.get(SIGN)).toBe('ask');
      expect(await store.get(LIST)).toBe('allow');
      expect(logs).toHaveLength(1);
      expect(logs[0]).toContain(path);
      expect(logs[0]).toContain('default');

      await store.set(HTTP, 'allow');
      expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
        version: 1,
        tools: { http_request: 'allow' },
      });
      expect(logs).toHaveLength(1);
    },
  );

  it('survives a path it cannot read at all (a folder where the file should be)', async () => {
    await mkdir(join(dir, TOOL_POLICY_FILE));
    const store = open();
    expect(await store.get(SIGN)).toBe('ask');
    expect(logs).toHaveLength(1);
  });

  it('reports enabled-set changes only when a tool moves between off and on', async () => {
    const store = open();
    const changes: ToolPolicyChange[] = [];
    const stop = store.onChange((change) => changes.push(change));

    await store.set(SIGN, 'allow'); // ask -> allow: still listed
    await store.set(SIGN, 'off'); // allow -> off: gone from the list
    await store.set(SIGN, 'off'); // no change: no event
    await store.set(SIGN, 'ask'); // off -> ask: back in the list
    await store.set(LIST, 'allow'); // pinning the default: no change, no event
    expect(changes).toEqual([
      { tool: 'pgp_sign', previous: 'ask', mode: 'allow', enabledSetChanged: false },
      { tool: 'pgp_sign', previous: 'allow', mode: 'off', enabledSetChanged: true },
      { tool: 'pgp_sign', previous: 'off', mode: 'ask', enabledSetChanged: true },
    ]);

    // set() answers the same facts, even when nothing changed.
    expect(await store.set(SIGN, 'ask')).toEqual({
      tool: 'pgp_sign',
      previous: 'ask',
      mode: 'ask',
      enabledSetChanged: false,
    });

    stop();
    await store.set(SIGN, 'off');
    expect(changes).toHaveLength(3);
  });

  it('keeps saving and telling other listeners when one listener throws', async () => {
    const store = open();
    const seen: string[] = [];
    store.onChange(() => {
      throw new Error('window gone');
    });
    store.onChange((change) => seen.push(change.mode));
    await store.set(SIGN, 'off');
    expect(seen).toEqual(['off']);
    expect(await open().get(SIGN)).toBe('off');
    expect(logs.join('\n')).toContain('window gone');
  });

  it('loses no change when many are made at once', async () => {
    const store = open();
    const tools = Array.from({ length: 8 }, (_, i) => ({ name: `tool_${i}`, readOnly: false }));
    await Promise.all(tools.map((tool, i) => store.set(tool, i % 2 ? 'off' : 'allow')));
    const reread = await open().list(tools);
    expect(reread.map((e) => e.mode)).toEqual(tools.map((_, i) => (i % 2 ? 'off' : 'allow')));
  });

  it('changes nothing, in memory or on disk, when the save fails', async () => {
    // A data folder under a regular file cannot be created.
    const blocker = join(dir, 'not-a-folder');
    await writeFile(blocker, 'x');
    const store = open(join(blocker, 'data'));
    const changes: ToolPolicyChange[] = [];
    store.onChange((change) => changes.push(change));
    await expect(store.set(SIGN, 'off')).rejects.toThrow();
    expect(await store.get(SIGN)).toBe('ask');
    expect(changes).toEqual([]);
    // The queue still runs later changes.
    await expect(store.set(SIGN, 'allow')).rejects.toThrow();
  });

  it('refuses an empty tool name and an unknown mode', async () => {
    const store = open();
    await expect(store.set({ name: '', readOnly: false }, 'off')).rejects.toThrow();
    await expect(store.set(SIGN, 'sometimes' as 'off')).rejects.toThrow();
    expect(await store.get(SIGN)).toBe('ask');
  });
});
