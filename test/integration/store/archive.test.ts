import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CustodianError } from '../../../shared/errors';
import { sha256Hex } from '../../../electron/core/store/archive/descriptor';
import { packPlugin } from '../../../electron/core/store/archive/pack';
import {
  readPluginArchive,
  type ReadArchiveOptions,
} from '../../../electron/core/store/archive/read-archive';
import {
  formatSignature,
  generateSigningKey,
  parseSignature,
  signArchive,
  SignatureError,
  verifyArchive,
} from '../../../electron/core/store/archive/signing';
import * as nodeFs from 'node:fs/promises';
import { stageToFolder } from '../../../electron/core/files/stage';
import { makeTempDir } from '../../support/core-fixture';
import { fixtureDir } from '../../support/plugin-fixtures';
import {
  craftZip,
  entriesOf,
  localRecord,
  SYMLINK_ATTRIBUTES,
  type CraftEntry,
} from '../../support/zip-craft';

// The real built echo fixture, packed, read back, signed, and installed the way
// the store will: read (every check) -> stage -> rename. Every attack must be
// refused with its code and leave the plugins folder exactly as it was.

const APP_VERSION = '0.1.0';
let echo: Buffer;
let echoFiles: Map<string, Buffer>;

beforeAll(async () => {
  echo = await packPlugin(fixtureDir('echo'));
  echoFiles = (await readPluginArchive(echo, { appVersion: APP_VERSION })).files;
});

/** What the store's install will do with these modules. */
async function install(
  bytes: Buffer,
  pluginsRoot: string,
  options: Omit<ReadArchiveOptions, 'appVersion'> = {},
): Promise<string> {
  const archive = await readPluginArchive(bytes, { appVersion: APP_VERSION, ...options });
  const name = archive.manifest.plugin.name;
  const staged = await stageToFolder(archive.files, pluginsRoot, name, nodeFs);
  await rename(staged, join(pluginsRoot, name));
  return join(pluginsRoot, name);
}

async function emptyPluginsRoot(): Promise<string> {
  const root = join(await makeTempDir('custodian-store-'), 'plugins');
  await mkdir(root);
  return root;
}

describe('packing the built echo fixture', () => {
  it('holds plugin.toml, the module and the descriptor, byte for byte', async () => {
    const build = fixtureDir('echo');
    expect([...echoFiles.keys()].sort()).toEqual([
      'custodian-plugin.json',
      'plugin.toml',
      'plugin.wasm',
    ]);
    expect(echoFiles.get('plugin.toml')).toEqual(await readFile(join(build, 'plugin.toml')));
    expect(echoFiles.get('plugin.wasm')).toEqual(await readFile(join(build, 'plugin.wasm')));
    const descriptor = JSON.parse(echoFiles.get('custodian-plugin.json')?.toString() ?? '');
    expect(descriptor).toMatchObject({
      format: 1,
      id: 'echo',
      version: '1.0.0',
      tools: [{ name: 'fixture_echo', description: 'Echo the parameters back.' }],
      credential_types: ['echo_token'],
      capabilities: { crypto: false, log: false, http: [] },
    });
  });

  it('is deterministic: packing again gives the same bytes', async () => {
    expect((await packPlugin(fixtureDir('echo'))).equals(echo)).toBe(true);
  });

  it('installs through read -> stage -> rename, leaving no staging folder', async () => {
    const root = await emptyPluginsRoot();
    const target = await install(echo, root, {
      expectedSha256: sha256Hex(echo),
      expectedSize: echo.length,
    });
    expect(await readdir(root)).toEqual(['echo']);
    expect((await readdir(target)).sort()).toEqual([
      'custodian-plugin.json',
      'plugin.toml',
      'plugin.wasm',
    ]);
    expect(await readFile(join(target, 'plugin.wasm'))).toEqual(
      await readFile(join(fixtureDir('echo'), 'plugin.wasm')),
    );
  });
});

describe('signing the echo archive', () => {
  it('verifies with the trusted key, through the .sig file', () => {
    const key = generateSigningKey();
    const sig = parseSignature(formatSignature(signArchive(echo, key.privateKey)));
    expect(verifyArchive(echo, sig, [key.publicKey])).toEqual({ keyId: key.keyId });
  });

  it('refuses the wrong key, an unknown key id and a tampered byte', () => {
    const key = generateSigningKey();
    const other = generateSigningKey();
    const sig = signArchive(echo, key.privateKey);
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
        return 'accepted';
      } catch (error) {
        return error instanceof SignatureError ? error.code : 'other';
      }
    };
    expect(codeOf(() => verifyArchive(echo, sig, [other.publicKey]))).toBe('unknown_key');
    const forged = { ...signArchive(echo, other.privateKey), keyId: key.keyId };
    expect(codeOf(() => verifyArchive(echo, forged, [key.publicKey]))).toBe('bad_signature');
    const tampered = Buffer.from(echo);
    const middle = Math.floor(tampered.length / 2);
    tampered[middle] = (tampered[middle] ?? 0) ^ 0x01;
    expect(codeOf(() => verifyArchive(tampered, sig, [key.publicKey]))).toBe('bad_signature');
  });
});

describe('installing a hostile archive changes nothing', () => {
  const valid = (): CraftEntry[] => entriesOf(echoFiles);
  const attacks: [string, () => Buffer, string, Omit<ReadArchiveOptions, 'appVersion'>?][] = [
    [
      'path traversal',
      () => craftZip([...valid(), { name: '../escaped.txt', data: Buffer.from('x') }]),
      'path_traversal',
    ],
    [
      'path traversal in a folder',
      () => craftZip([...valid(), { name: 'a/../../escaped.txt', data: Buffer.from('x') }]),
      'path_traversal',
    ],
    [
      'absolute path',
      () => craftZip([...valid(), { name: '/tmp/escaped.txt', data: Buffer.from('x') }]),
      'absolute_path',
    ],
    [
      'Windows absolute path',
      () => craftZip([...valid(), { name: 'C:\\escaped.txt', data: Buffer.from('x') }]),
      'absolute_path',
    ],
    [
      'symlink',
      () =>
        craftZip([
          ...valid(),
          {
            name: 'README.md',
            data: Buffer.from('/etc/passwd'),
            externalAttributes: SYMLINK_ATTRIBUTES,
          },
        ]),
      'link',
    ],
    [
      'duplicate name',
      () => craftZip([...valid(), { name: 'plugin.wasm', data: Buffer.from('x') }]),
      'duplicate',
    ],
    [
      'zip bomb (inflates past its declared size)',
      () =>
        craftZip([
          ...valid(),
          { name: 'README.md', data: Buffer.alloc(64 * 1024 * 1024), declaredSize: 100 },
        ]),
      'zip_bomb',
    ],
    [
      'zip bomb (honest sizes above the total cap)',
      () =>
        craftZip([
          ...valid(),
          { name: 'README.md', data: Buffer.alloc(16 * 1024 * 1024) },
          { name: 'icon.png', data: Buffer.alloc(16 * 1024 * 1024) },
        ]),
      'too_large',
    ],
    [
      'zip bomb (overlapping entries)',
      () => {
        const inner: CraftEntry = { name: 'icon.png', data: Buffer.alloc(4096), method: 0 };
        return craftZip([
          { name: 'README.md', data: localRecord(inner), method: 0 },
          { ...inner, centralOnlyAt: 30 + 'README.md'.length },
          ...valid(),
        ]);
      },
      'zip_bomb',
    ],
    [
      'too many entries',
      () =>
        craftZip([
          ...valid(),
          ...Array.from({ length: 14 }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.from('x') })),
        ]),
      'too_many_entries',
    ],
    [
      'unexpected file',
      () => craftZip([...valid(), { name: 'postinstall.sh', data: Buffer.from('rm -rf ~') }]),
      'unexpected_file',
    ],
    ['wrong hash', () => echo, 'archive_hash', { expectedSha256: sha256Hex(Buffer.from('other')) }],
    ['wrong size', () => echo, 'archive_size', { expectedSize: 12345 }],
    [
      'swapped module',
      () => {
        const files = new Map(echoFiles);
        files.set(
          'plugin.wasm',
          Buffer.concat([echoFiles.get('plugin.wasm') ?? Buffer.alloc(0), Buffer.from([0])]),
        );
        return craftZip(entriesOf(files));
      },
      'file_size',
    ],
  ];

  it.each(attacks)('refuses %s', async (_label, make, code, options) => {
    const root = await emptyPluginsRoot();
    const outside = join(root, '..', 'escaped.txt');
    const error = await install(make(), root, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CustodianError);
    expect(error).toMatchObject({ code: 'refused', reason: code });
    expect(await readdir(root)).toEqual([]);
    expect(existsSync(outside)).toBe(false);
    expect(existsSync('/tmp/escaped.txt')).toBe(false);
  });
});
