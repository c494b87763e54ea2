import { join, resolve, win32 } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BUNDLE_DATA_PLACEHOLDER,
  defaultDataDir,
  parseArgs,
  UsageError,
} from '../../../electron/bridge/args';

const linux = { env: {}, platform: 'linux' as const, home: '/home/ada' };

describe('the bridge finds its data folder', () => {
  it('from --data DIR and --data=DIR, resolved against the working folder', () => {
    expect(parseArgs(['--data', '/srv/c'], linux)).toEqual({
      kind: 'run',
      args: { dataDir: '/srv/c', source: 'flag' },
    });
    expect(parseArgs(['--data=rel/dir'], linux)).toEqual({
      kind: 'run',
      args: { dataDir: resolve('rel/dir'), source: 'flag' },
    });
  });

  it('prefers --data over CUSTODIAN_DATA_DIR, and that over the default', () => {
    const env = { ...linux, env: { CUSTODIAN_DATA_DIR: '/from/env' } };
    expect(parseArgs(['--data', '/flag'], env)).toMatchObject({ args: { dataDir: '/flag' } });
    expect(parseArgs([], env)).toEqual({
      kind: 'run',
      args: { dataDir: '/from/env', source: 'env' },
    });
    expect(parseArgs([], { ...linux, env: { CUSTODIAN_DATA_DIR: '' } })).toMatchObject({
      args: { source: 'default' },
    });
  });

  it("defaults to Electron's userData folder for Custodian on each platform", () => {
    expect(defaultDataDir(linux)).toBe('/home/ada/.config/Custodian');
    expect(defaultDataDir({ ...linux, env: { XDG_CONFIG_HOME: '/xdg' } })).toBe('/xdg/Custodian');
    expect(defaultDataDir({ ...linux, platform: 'darwin', home: '/Users/ada' })).toBe(
      '/Users/ada/Library/Application Support/Custodian',
    );
    expect(
      defaultDataDir({
        env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' },
        platform: 'win32',
        home: 'C:\\Users\\ada',
      }),
    ).toBe('C:\\Users\\ada\\AppData\\Roaming\\Custodian');
    expect(defaultDataDir({ env: {}, platform: 'win32', home: 'C:\\Users\\ada' })).toBe(
      win32.join('C:\\Users\\ada', 'AppData', 'Roaming', 'Custodian'),
    );
    expect(parseArgs([], linux)).toEqual({
      kind: 'run',
      args: { dataDir: join('/home/ada/.config', 'Custodian'), source: 'default' },
    });
  });

  it("takes an empty --data= or the bundle's unreplaced placeholder as no --data", () => {
    const env = { ...linux, env: { CUSTODIAN_DATA_DIR: '/from/env' } };
    for (const arg of ['--data=', `--data=${BUNDLE_DATA_PLACEHOLDER}`])
      expect(parseArgs([arg], env)).toEqual({
        kind: 'run',
        args: { dataDir: '/from/env', source: 'env' },
      });
    expect(parseArgs(['--data=/chosen'], env)).toMatchObject({ args: { dataDir: '/chosen' } });
    expect(() => parseArgs(['--data=', '--data', '/x'], linux)).toThrow(/more than once/);
  });

  it('answers --help and refuses what it does not know', () => {
    expect(parseArgs(['--help'], linux)).toEqual({ kind: 'help' });
    expect(parseArgs(['-h'], linux)).toEqual({ kind: 'help' });
    expect(() => parseArgs(['--data'], linux)).toThrow(UsageError);
    expect(() => parseArgs(['--data', '--other'], linux)).toThrow(/needs a folder/);
    expect(() => parseArgs(['--data', ''], linux)).toThrow(/needs a folder/);
    expect(() => parseArgs(['--data', 'a', '--data', 'b'], linux)).toThrow(/more than once/);
    expect(() => parseArgs(['--verbose'], linux)).toThrow(/Unknown argument "--verbose"/);
  });
});
