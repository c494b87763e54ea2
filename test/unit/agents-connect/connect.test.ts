import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bridgeEntry } from '../../../electron/core/agents/claude-desktop/bridge-entry';
import {
  ClaudeConfigError,
  claudeDesktopConnection,
  connectClaudeDesktop,
  disconnectClaudeDesktop,
} from '../../../electron/core/agents/claude-desktop/connect';

const posixOnly = process.platform === 'win32' ? it.skip : it;

let dir: string;
let path: string;
const entry = bridgeEntry({
  command: '/usr/bin/node',
  args: ['/repo/out/bridge/custodian-mcp.js'],
  dataDir: '/home/ada/.config/Custodian',
});

beforeEach(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'custodian-claude-'));
  path = join(dir, 'Claude', 'claude_desktop_config.json');
  await fs.mkdir(join(dir, 'Claude'));
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function listClaude(): Promise<string[]> {
  return (await fs.readdir(join(dir, 'Claude'))).sort();
}

const existing = {
  globalShortcut: 'Alt+Space',
  mcpServers: {
    filesystem: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/x'] },
    github: { command: 'gh-mcp', args: [], env: { GITHUB_TOKEN: 'ghp_x' } },
  },
  zeta: [1, { nested: true }],
};

describe('connectClaudeDesktop', () => {
  it('creates the file when missing (0600), with no backup and no temp left', async () => {
    const result = await connectClaudeDesktop({ path, entry, fs });
    expect(result).toEqual({ status: 'connected', path });
    expect(JSON.parse(await fs.readFile(path, 'utf8'))).toEqual({
      mcpServers: { custodian: entry },
    });
    expect(await listClaude()).toEqual(['claude_desktop_config.json']);
    if (process.platform !== 'win32') expect((await fs.stat(path)).mode & 0o777).toBe(0o600);
  });

  it('creates the Claude folder when missing, unless told not to', async () => {
    const nested = join(dir, 'Other', 'Claude', 'claude_desktop_config.json');
    await expect(
      connectClaudeDesktop({ path: nested, entry, fs, createFolder: false }),
    ).rejects.toMatchObject({ code: 'no-folder' });
    await expect(fs.stat(join(dir, 'Other'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await connectClaudeDesktop({ path: nested, entry, fs })).toMatchObject({
      status: 'connected',
    });
    expect(JSON.parse(await fs.readFile(nested, 'utf8')).mcpServers.custodian).toEqual(entry);
  });

  it('merges: keeps other servers and keys in their order, backs up the old file', async () => {
    const before = JSON.stringify(existing, null, 2) + '\n';
    await fs.writeFile(path, before);
    const result = await connectClaudeDesktop({ path, entry, fs });
    expect(result).toEqual({ status: 'connected', path, backup: `${path}.bak` });

    const after = JSON.parse(await fs.readFile(path, 'utf8'));
    expect(after).toEqual({
      ...existing,
      mcpServers: { ...existing.mcpServers, custodian: entry },
    });
    expect(Object.keys(after)).toEqual(['globalShortcut', 'mcpServers', 'zeta']);
    expect(Object.keys(after.mcpServers)).toEqual(['filesystem', 'github', 'custodian']);
    // The backup is the previous file, byte for byte.
    expect(await fs.readFile(`${path}.bak`, 'utf8')).toBe(before);
    // Atomic: only the config and its backup, no temp file left beside them.
    expect(await listClaude()).toEqual([
      'claude_desktop_config.json',
      'claude_desktop_config.json.bak',
    ]);
  });

  it('writes atomically: a temp file in the same folder, synced, then renamed over', async () => {
    await fs.writeFile(path, JSON.stringify(existing));
    const calls: string[] = [];
    const spy = {
      ...fs,
      open: (async (file: string, flags: string, mode?: number) => {
        calls.push(`open ${file === path ? 'CONFIG' : file === dir ? 'DIR' : file} ${flags}`);
        const handle = await fs.open(file, flags, mode);
        const sync = handle.sync.bind(handle);
        handle.sync = async () => (
          calls.push(`sync ${file === path ? 'CONFIG' : 'other'}`),
          sync()
        );
        return handle;
      }) as typeof fs.open,
      rename: (async (from: string, to: string) => {
        calls.push(`rename ${from} -> ${to === path ? 'CONFIG' : to}`);
        expect(dirname(from)).toBe(dirname(to));
        return fs.rename(from, to);
      }) as typeof fs.rename,
    };
    await connectClaudeDesktop({ path, entry, fs: spy });
    // The config itself is never opened for writing; its new content arrives by rename.
    expect(calls.filter((c) => c.startsWith('open CONFIG') && !c.endsWith(' r'))).toEqual([]);
    const tempOpen = calls.findIndex((c) => / wx$/.test(c) && c.includes('.tmp-'));
    const tempSync = calls.indexOf('sync other', tempOpen);
    const rename = calls.findIndex((c) => c.startsWith('rename') && c.endsWith('-> CONFIG'));
    expect(tempOpen).toBeGreaterThanOrEqual(0);
    expect(tempSync).toBeGreaterThan(tempOpen);
    expect(rename).toBeGreaterThan(tempSync);
  });

  it('a failure before the rename leaves the old file as it was', async () => {
    const before = Buffer.from(JSON.stringify(existing, null, 2));
    await fs.writeFile(path, before);
    const failing = {
      ...fs,
      rename: (async (from: string, to: string) => {
        if (to === path) throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
        return fs.rename(from, to);
      }) as typeof fs.rename,
    };
    await expect(connectClaudeDesktop({ path, entry, fs: failing })).rejects.toThrow(
      `No space left on the disk that holds ${dirname(path)}; nothing was saved.`,
    );
    expect((await fs.readFile(path)).equals(before)).toBe(true);
  });

  it('adds mcpServers at the end when the file has none', async () => {
    await fs.writeFile(path, '{"a": 1, "b": {"c": 2}}');
    await connectClaudeDesktop({ path, entry, fs });
    const after = JSON.parse(await fs.readFile(path, 'utf8'));
    expect(Object.keys(after)).toEqual(['a', 'b', 'mcpServers']);
    expect(after).toEqual({ a: 1, b: { c: 2 }, mcpServers: { custodian: entry } });
  });

  it("keeps the file's indentation, line endings and lack of final newline", async () => {
    await fs.writeFile(path, '{\r\n\t"mcpServers": {}\r\n}');
    await connectClaudeDesktop({ path, entry, fs });
    const text = await fs.readFile(path, 'utf8');
    expect(text).toBe(
      JSON.stringify({ mcpServers: { custodian: entry } }, null, '\t').replace(/\n/g, '\r\n'),
    );
  });

  it('keeps a key named __proto__ as data and does not touch prototypes', async () => {
    await fs.writeFile(path, '{"__proto__": {"polluted": true}, "mcpServers": {}}');
    await connectClaudeDesktop({ path, entry, fs });
    const text = await fs.readFile(path, 'utf8');
    expect(text).toContain('"__proto__"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  posixOnly('preserves the file mode', async () => {
    await fs.writeFile(path, '{}\n');
    await fs.chmod(path, 0o644);
    await connectClaudeDesktop({ path, entry, fs });
    expect((await fs.stat(path)).mode & 0o777).toBe(0o644);
  });

  posixOnly('writes through a symbolic link, keeping the link', async () => {
    const real = join(dir, 'dotfiles-claude.json');
    await fs.writeFile(real, '{"keep": true}');
    await fs.symlink(real, path);
    const result = await connectClaudeDesktop({ path, entry, fs });
    expect(result.backup).toBe(`${real}.bak`);
    expect((await fs.lstat(path)).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await fs.readFile(real, 'utf8'))).toEqual({
      keep: true,
      mcpServers: { custodian: entry },
    });
  });

  describe('refuses a file it cannot understand and leaves it byte for byte', () => {
    const cases: [string, string | Buffer, string][] = [
      ['invalid JSON', '{"mcpServers": {"a": 1,}, "token": "sk-secret"', 'invalid-json'],
      ['an array root', '[{"mcpServers": {}}]', 'not-an-object'],
      ['a null root', 'null', 'not-an-object'],
      ['a string root', '"hello"', 'not-an-object'],
      ['a string mcpServers', '{"mcpServers": "custodian"}', 'mcp-servers-not-object'],
      ['an array mcpServers', '{"mcpServers": []}', 'mcp-servers-not-object'],
      ['a null mcpServers', '{"mcpServers": null}', 'mcp-servers-not-object'],
      ['bad UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), 'invalid-json'],
    ];
    for (const [name, content, code] of cases) {
      it(name, async () => {
        await fs.writeFile(path, content);
        const before = await fs.readFile(path);
        const mtime = (await fs.stat(path)).mtimeMs;
        const error = await connectClaudeDesktop({ path, entry, fs }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ClaudeConfigError);
        expect(error).toMatchObject({ code, path });
        expect((error as Error).message).toContain(path);
        expect((error as Error).message).toContain('left untouched');
        expect((await fs.readFile(path)).equals(before)).toBe(true);
        expect((await fs.stat(path)).mtimeMs).toBe(mtime);
        expect(await listClaude()).toEqual(['claude_desktop_config.json']);
        // Disconnect and the status check refuse the same way.
        await expect(disconnectClaudeDesktop({ path, fs })).rejects.toMatchObject({ code });
        await expect(claudeDesktopConnection({ path, entry, fs })).rejects.toMatchObject({ code });
        expect((await fs.readFile(path)).equals(before)).toBe(true);
      });
    }

    it('never quotes the file in the error (it may hold other tokens)', async () => {
      await fs.writeFile(path, '{"token": "sk-secret-123" oops}');
      const error = (await connectClaudeDesktop({ path, entry, fs }).catch((e) => e)) as Error;
      expect(error.message).not.toContain('sk-secret');
      expect(error.message).toMatch(/position \d+|line \d+ column \d+/);
    });
  });

  it('an empty file is treated as an empty object', async () => {
    await fs.writeFile(path, '');
    expect(await connectClaudeDesktop({ path, entry, fs })).toMatchObject({ status: 'connected' });
    expect(JSON.parse(await fs.readFile(path, 'utf8'))).toEqual({
      mcpServers: { custodian: entry },
    });
  });

  it('an identical entry reports already-connected and writes nothing', async () => {
    await connectClaudeDesktop({ path, entry, fs });
    // Same entry, keys in another order: still identical.
    const reordered = { mcpServers: { custodian: { args: entry.args, command: entry.command } } };
    await fs.writeFile(path, JSON.stringify(reordered));
    const past = new Date('2020-01-01T00:00:00Z');
    await fs.utimes(path, past, past);
    const before = await fs.readFile(path);
    const result = await connectClaudeDesktop({ path, entry, fs });
    expect(result).toEqual({ status: 'already-connected', path });
    expect((await fs.readFile(path)).equals(before)).toBe(true);
    expect((await fs.stat(path)).mtimeMs).toBe(past.getTime());
    expect(await listClaude()).toEqual(['claude_desktop_config.json']);
    expect(await claudeDesktopConnection({ path, entry, fs })).toBe('connected');
  });

  it('updates a changed entry in place and keeps its position', async () => {
    const old = { command: '/old/custodian-mcp', args: ['--data', '/old'] };
    await fs.writeFile(
      path,
      JSON.stringify({ mcpServers: { a: { command: 'a' }, custodian: old, z: { command: 'z' } } }),
    );
    expect(await claudeDesktopConnection({ path, entry, fs })).toBe('outdated');
    const result = await connectClaudeDesktop({ path, entry, fs });
    expect(result).toEqual({ status: 'updated', path, backup: `${path}.bak` });
    const after = JSON.parse(await fs.readFile(path, 'utf8'));
    expect(Object.keys(after.mcpServers)).toEqual(['a', 'custodian', 'z']);
    expect(after.mcpServers.custodian).toEqual(entry);
    expect(JSON.parse(await fs.readFile(`${path}.bak`, 'utf8')).mcpServers.custodian).toEqual(old);
  });
});

describe('disconnectClaudeDesktop', () => {
  it('removes only the custodian entry', async () => {
    await fs.writeFile(path, JSON.stringify(existing, null, 2));
    await connectClaudeDesktop({ path, entry, fs });
    const result = await disconnectClaudeDesktop({ path, fs });
    expect(result).toEqual({ status: 'disconnected', path, backup: `${path}.bak` });
    const after = JSON.parse(await fs.readFile(path, 'utf8'));
    expect(after).toEqual(existing);
    expect(Object.keys(after.mcpServers)).toEqual(['filesystem', 'github']);
    expect(await claudeDesktopConnection({ path, entry, fs })).toBe('not-connected');
    expect(await listClaude()).toEqual([
      'claude_desktop_config.json',
      'claude_desktop_config.json.bak',
    ]);
  });

  it('reports not-connected and writes nothing when there is no entry or no file', async () => {
    expect(await disconnectClaudeDesktop({ path, fs })).toEqual({ status: 'not-connected', path });
    expect(await listClaude()).toEqual([]);
    await fs.writeFile(path, '{"mcpServers": {"other": {"command": "x"}}}');
    const before = await fs.readFile(path);
    expect(await disconnectClaudeDesktop({ path, fs })).toEqual({ status: 'not-connected', path });
    expect((await fs.readFile(path)).equals(before)).toBe(true);
    expect(await listClaude()).toEqual(['claude_desktop_config.json']);
  });
});
