import { describe, expect, it } from 'vitest';
import { claudeConfigPath } from '../../../electron/core/agents/claude-desktop/config-path';
import {
  bridgeEntry,
  snippetForOtherClients,
} from '../../../electron/core/agents/claude-desktop/bridge-entry';

const never = () => false;

describe('claudeConfigPath', () => {
  it('macOS: ~/Library/Application Support/Claude', () => {
    expect(
      claudeConfigPath({ platform: 'darwin', env: {}, homedir: '/Users/ada', exists: never }),
    ).toEqual({
      path: '/Users/ada/Library/Application Support/Claude/claude_desktop_config.json',
    });
  });

  it('Windows: %APPDATA%\\Claude, with Windows separators on any host', () => {
    expect(
      claudeConfigPath({
        platform: 'win32',
        env: { APPDATA: 'C:\\Users\\Ada\\AppData\\Roaming' },
        homedir: 'C:\\Users\\Ada',
        exists: never,
      }),
    ).toEqual({ path: 'C:\\Users\\Ada\\AppData\\Roaming\\Claude\\claude_desktop_config.json' });
  });

  it('Windows without %APPDATA% falls back to the roaming folder under home', () => {
    expect(
      claudeConfigPath({ platform: 'win32', env: {}, homedir: 'C:\\Users\\Ada', exists: never }),
    ).toEqual({ path: 'C:\\Users\\Ada\\AppData\\Roaming\\Claude\\claude_desktop_config.json' });
    expect(claudeConfigPath({ platform: 'win32', env: {}, homedir: '', exists: never }).path).toBe(
      null,
    );
  });

  it('Linux: ~/.config/Claude only when that folder exists', () => {
    const seen: string[] = [];
    const present = claudeConfigPath({
      platform: 'linux',
      env: {},
      homedir: '/home/ada',
      exists: (p) => (seen.push(p), p === '/home/ada/.config/Claude'),
    });
    expect(present).toEqual({ path: '/home/ada/.config/Claude/claude_desktop_config.json' });
    expect(seen).toEqual(['/home/ada/.config/Claude']);

    const absent = claudeConfigPath({
      platform: 'linux',
      env: {},
      homedir: '/home/ada',
      exists: never,
    });
    expect(absent.path).toBe(null);
    expect('reason' in absent && absent.reason).toContain('/home/ada/.config/Claude');
  });

  it('Linux honours an absolute $XDG_CONFIG_HOME and ignores a relative one', () => {
    const exists = (p: string) => p === '/xdg/Claude' || p === '/home/ada/.config/Claude';
    expect(
      claudeConfigPath({
        platform: 'linux',
        env: { XDG_CONFIG_HOME: '/xdg' },
        homedir: '/home/ada',
        exists,
      }),
    ).toEqual({ path: '/xdg/Claude/claude_desktop_config.json' });
    expect(
      claudeConfigPath({
        platform: 'linux',
        env: { XDG_CONFIG_HOME: 'rel' },
        homedir: '/home/ada',
        exists,
      }),
    ).toEqual({ path: '/home/ada/.config/Claude/claude_desktop_config.json' });
  });

  it('other platforms and an unknown home give null with a reason', () => {
    const bsd = claudeConfigPath({ platform: 'freebsd', env: {}, homedir: '/h', exists: never });
    expect(bsd).toEqual({ path: null, reason: expect.stringContaining('freebsd') });
    const mac = claudeConfigPath({ platform: 'darwin', env: {}, homedir: '', exists: never });
    expect(mac).toEqual({ path: null, reason: expect.any(String) });
  });
});

describe('bridgeEntry and the snippet', () => {
  it('development: node <repo>/out/bridge/custodian-mcp.js --data <dataDir>', () => {
    const entry = bridgeEntry({
      command: '/usr/bin/node',
      args: ['/repo/out/bridge/custodian-mcp.js'],
      dataDir: '/home/ada/.config/Custodian',
    });
    expect(entry).toEqual({
      command: '/usr/bin/node',
      args: ['/repo/out/bridge/custodian-mcp.js', '--data', '/home/ada/.config/Custodian'],
    });
    expect('env' in entry).toBe(false);
  });

  it('packaged: the launcher alone, with a data folder that has spaces; env only when given', () => {
    const entry = bridgeEntry({
      command: 'C:\\Program Files\\Custodian\\custodian-mcp.exe',
      dataDir: 'C:\\Users\\Ada\\AppData\\Roaming\\Custodian Data',
      env: { CUSTODIAN_LOG: 'warn' },
    });
    expect(entry).toEqual({
      command: 'C:\\Program Files\\Custodian\\custodian-mcp.exe',
      args: ['--data', 'C:\\Users\\Ada\\AppData\\Roaming\\Custodian Data'],
      env: { CUSTODIAN_LOG: 'warn' },
    });
    expect('env' in bridgeEntry({ command: 'x', dataDir: '/d', env: {} })).toBe(false);
  });

  it('refuses an empty command and a relative data folder', () => {
    expect(() => bridgeEntry({ command: ' ', dataDir: '/d' })).toThrow(TypeError);
    expect(() => bridgeEntry({ command: 'node', dataDir: 'data' })).toThrow(/absolute/);
  });

  it('snippetForOtherClients is pretty JSON naming the custodian server', () => {
    const entry = bridgeEntry({ command: '/app/custodian-mcp', dataDir: '/data' });
    const snippet = snippetForOtherClients(entry);
    expect(JSON.parse(snippet)).toEqual({ mcpServers: { custodian: entry } });
    expect(snippet).toBe(
      [
        '{',
        '  "mcpServers": {',
        '    "custodian": {',
        '      "command": "/app/custodian-mcp",',
        '      "args": [',
        '        "--data",',
        '        "/data"',
        '      ]',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    );
  });
});
