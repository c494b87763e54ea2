import { symlink, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { packPlugin } from '../../../electron/core/store/archive/pack';
import { readPluginArchive } from '../../../electron/core/store/archive/read-archive';
import { sha256Hex } from '../../../electron/core/store/archive/descriptor';
import { APP_VERSION, MINI_TOML, MINI_WASM, miniPluginDir } from './mini-plugin';

async function entryNames(bytes: Buffer): Promise<string[]> {
  const zip = await yauzl.fromBufferPromise(bytes);
  const names: string[] = [];
  for await (const entry of zip.eachEntry()) names.push(entry.fileName);
  return names;
}

describe('packPlugin', () => {
  it('packs plugin.toml, the module and a descriptor derived from the manifest', async () => {
    const bytes = await packPlugin(await miniPluginDir({ 'README.md': '# Mini\n' }));
    expect(await entryNames(bytes)).toEqual([
      'README.md',
      'custodian-plugin.json',
      'mini.wasm',
      'plugin.toml',
    ]);
    const { descriptor, files } = await readPluginArchive(bytes, { appVersion: APP_VERSION });
    expect(descriptor).toEqual({
      format: 1,
      id: 'mini',
      version: '1.2.3',
      files: [
        { path: 'README.md', size: 7, sha256: sha256Hex(Buffer.from('# Mini\n')) },
        { path: 'mini.wasm', size: MINI_WASM.length, sha256: sha256Hex(MINI_WASM) },
        {
          path: 'plugin.toml',
          size: Buffer.byteLength(MINI_TOML),
          sha256: sha256Hex(Buffer.from(MINI_TOML)),
        },
      ],
      capabilities: { crypto: true, log: false, http: ['api.example.com'] },
      tools: [{ name: 'mini_go', description: 'Go.' }],
      credential_types: ['mini_key'],
    });
    expect(files.get('mini.wasm')).toEqual(MINI_WASM);
  });

  it('gives identical bytes for the same folder, packed twice or copied', async () => {
    const first = await packPlugin(await miniPluginDir());
    const second = await packPlugin(await miniPluginDir());
    expect(second.equals(first)).toBe(true);
  });

  it('refuses files a plugin archive does not hold', async () => {
    await expect(packPlugin(await miniPluginDir({ 'notes.txt': 'x' }))).rejects.toMatchObject({
      code: 'refused',
      reason: 'bad_plugin_folder',
      message: expect.stringContaining('notes.txt'),
    });
  });

  it('refuses a symlink in the plugin folder', async () => {
    const dir = await miniPluginDir();
    await symlink('/etc/hostname', join(dir, 'README.md'));
    await expect(packPlugin(dir)).rejects.toMatchObject({ code: 'refused', reason: 'not_a_file' });
  });

  it('refuses a sub-folder', async () => {
    const dir = await miniPluginDir();
    await mkdir(join(dir, 'assets'));
    await expect(packPlugin(dir)).rejects.toMatchObject({
      code: 'refused',
      reason: 'bad_plugin_folder',
    });
  });

  it('refuses a missing module and an invalid manifest', async () => {
    const noModule = await miniPluginDir({}, MINI_TOML.replace('mini.wasm', 'other.wasm'));
    await expect(packPlugin(noModule)).rejects.toMatchObject({
      code: 'refused',
      reason: 'bad_plugin_folder',
    });
    const dir = await miniPluginDir();
    await writeFile(join(dir, 'plugin.toml'), MINI_TOML.replace('1.2.3', 'one'));
    await expect(packPlugin(dir)).rejects.toMatchObject({
      code: 'refused',
      reason: 'bad_manifest',
      message: expect.stringContaining('plugin.version'),
    });
  });
});
