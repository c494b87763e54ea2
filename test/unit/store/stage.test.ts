import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CustodianError } from '../../../shared/errors';
import * as nodeFs from 'node:fs/promises';
import { stageToFolder } from '../../../electron/core/files/stage';
import { makeTempDir } from '../../support/core-fixture';

describe('stageToFolder', () => {
  it('writes the files into a fresh hidden staging folder inside the plugins folder', async () => {
    const root = join(await makeTempDir('custodian-stage-'), 'plugins');
    const files = new Map([
      ['plugin.toml', Buffer.from('toml')],
      ['plugin.wasm', Buffer.from([0, 97, 115, 109])],
    ]);
    const staged = await stageToFolder(files, root, 'echo', nodeFs);
    expect(dirname(staged)).toBe(root);
    expect(basename(staged)).toMatch(/^\.staging-echo-[0-9a-f]{16}$/);
    expect((await readdir(staged)).sort()).toEqual(['plugin.toml', 'plugin.wasm']);
    expect(await readFile(join(staged, 'plugin.wasm'))).toEqual(files.get('plugin.wasm'));
    if (process.platform !== 'win32') {
      expect((await stat(staged)).mode & 0o777).toBe(0o700);
      expect((await stat(join(staged, 'plugin.toml'))).mode & 0o777).toBe(0o600);
    }
    const again = await stageToFolder(files, root, 'echo', nodeFs);
    expect(again).not.toBe(staged);
  });

  it.each(['../escape', 'sub/file', '.hidden', 'a\\b', ''])(
    'refuses the file name %j and writes nothing',
    async (name) => {
      const root = await makeTempDir('custodian-stage-');
      const files = new Map([[name, Buffer.from('x')]]);
      await expect(stageToFolder(files, root, 'echo', nodeFs)).rejects.toBeInstanceOf(
        CustodianError,
      );
      expect(await readdir(root)).toEqual([]);
    },
  );

  it('refuses a plugin name that is not one', async () => {
    const root = await makeTempDir('custodian-stage-');
    await expect(stageToFolder(new Map(), root, '../x', nodeFs)).rejects.toMatchObject({
      code: 'refused',
      reason: 'bad_name',
    });
    expect(await readdir(root)).toEqual([]);
  });
});
