import { execFile } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseToml } from 'smol-toml';
import { beforeAll, describe, expect, it } from 'vitest';
import { readPluginArchive } from '../../../electron/core/store/archive/read-archive';
import { loadBundledStore } from '../../../electron/core/store/bundled-store';
import {
  decodePublicKey,
  keyIdOf,
  openCatalog,
  rawPublicKey,
} from '../../../electron/core/store/catalog/catalog-signing';
import type { BundledStore } from '../../../electron/core/store/store-options';
import { BUNDLED_ARCHIVE_PREFIX, type CatalogBody } from '../../../shared/catalog';
import { makeTempDir } from '../../support/core-fixture';

// The bundled first-party catalog, built by the real build script in its own
// Node process from the plugins `npm run plugins:build` compiled (the test
// command runs both first), then read the way the app reads it.

const repo = join(import.meta.dirname, '..', '..', '..');
const SCRIPT = join(repo, 'build', 'scripts', 'build-store.ts');
const NOT_PLUGINS = ['fixtures', 'template', 'sdk'];
const run = promisify(execFile);

async function buildStore(out: string, storeKey?: string) {
  const env = { ...process.env };
  delete env.CUSTODIAN_STORE_KEY;
  if (storeKey !== undefined) env.CUSTODIAN_STORE_KEY = storeKey;
  return run(process.execPath, ['--import', 'tsx', SCRIPT, '--out', out], { cwd: repo, env });
}

/** What the build must fail with, as the person running it sees it. */
async function failedBuild(out: string, storeKey: string): Promise<string> {
  try {
    await buildStore(out, storeKey);
  } catch (error) {
    return (error as { stderr: string }).stderr;
  }
  throw new Error('the build succeeded');
}

async function appVersion(): Promise<string> {
  return (JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { version: string })
    .version;
}

/** plugin.toml of every first-party plugin, read independently of the app's parser. */
async function firstPartyManifests(): Promise<Record<string, unknown>[]> {
  const dirs = await readdir(join(repo, 'plugins'), { withFileTypes: true });
  const manifests = [];
  for (const dir of dirs) {
    const path = join(repo, 'plugins', dir.name, 'plugin.toml');
    if (!dir.isDirectory() || NOT_PLUGINS.includes(dir.name) || !existsSync(path)) continue;
    manifests.push(parseToml(await readFile(path, 'utf8')) as Record<string, unknown>);
  }
  return manifests;
}

function newKeyFile(dir: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const path = join(dir, 'store-key.pem');
  const raw = rawPublicKey(publicKey);
  return {
    path,
    pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    keyId: keyIdOf(raw),
    publicKey: raw.toString('base64'),
  };
}

describe('the bundled store built by build-store.ts', () => {
  let out: string;
  let store: BundledStore;
  let catalog: CatalogBody;
  let stdout: string;

  beforeAll(async () => {
    out = join(await makeTempDir('custodian-bundled-'), 'store');
    ({ stdout } = await buildStore(out));
    const loaded = await loadBundledStore(out);
    if (!loaded) throw new Error(`no store in ${out}`);
    store = loaded;
    catalog = openCatalog(store.envelope, decodePublicKey(store.publicKey), 'the test').catalog;
  });

  it('loads as an envelope signed by the public key written beside it', async () => {
    expect(store.archivesDir).toBe(join(out, 'archives'));
    expect(await readFile(join(out, 'catalog.pub'), 'utf8')).toBe(`${store.publicKey}\n`);
    const keyId = keyIdOf(decodePublicKey(store.publicKey));
    expect(JSON.parse(store.envelope).keyId).toBe(keyId);
    expect(stdout).toContain(`signed by key ${keyId}`);
    expect(catalog.name).toBe('Custodian plugins');
    expect(catalog.sequence).toBe(1);
    expect(Date.parse(catalog.expires)).toBeGreaterThan(Date.parse('2100-01-01T00:00:00Z'));
  });

  it('lists every first-party plugin, sorted by name, and no fixture or template', async () => {
    const expected = (await firstPartyManifests())
      .map((m) => (m.plugin as { name: string }).name)
      .sort();
    expect(expected).toContain('pgp-signing');
    const names = catalog.plugins.map((p) => p.name);
    expect(names).toEqual(expected);
    expect(names).toEqual([...names].sort());
    for (const name of names) expect(stdout).toContain(`store: ${name} `);
  });

  it('points every entry at a bundled archive with exactly its size and sha256', async () => {
    const version = await appVersion();
    const files = await readdir(store.archivesDir);
    expect(files).toHaveLength(catalog.plugins.length);
    for (const plugin of catalog.plugins) {
      const file = `${plugin.name}-${plugin.version}.zip`;
      expect(plugin.archive.url).toBe(`${BUNDLED_ARCHIVE_PREFIX}${file}`);
      const bytes = await readFile(join(store.archivesDir, file));
      expect(bytes.length).toBe(plugin.archive.size);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(plugin.archive.sha256);
      const archive = await readPluginArchive(bytes, {
        appVersion: version,
        expectedSize: plugin.archive.size,
        expectedSha256: plugin.archive.sha256,
      });
      expect(archive.manifest.plugin.name).toBe(plugin.name);
      expect(archive.manifest.plugin.version).toBe(plugin.version);
      expect(archive.manifest.capabilities).toEqual(plugin.capabilities);
    }
  });

  it('carries each first-party plugin’s README and icon, when its folder has them', async () => {
    const withExtras = [];
    for (const plugin of catalog.plugins) {
      const folder = join(repo, 'plugins', plugin.name);
      const bytes = await readFile(join(store.archivesDir, `${plugin.name}-${plugin.version}.zip`));
      const { files } = await readPluginArchive(bytes, { appVersion: await appVersion() });
      for (const name of ['README.md', 'icon.svg', 'icon.png']) {
        const source = join(folder, name);
        if (!existsSync(source)) {
          expect(files.has(name), `${plugin.name}'s archive has a ${name} its folder lacks`).toBe(
            false,
          );
          continue;
        }
        expect(files.get(name)?.equals(await readFile(source)), `${plugin.name}/${name}`).toBe(
          true,
        );
        // The store shows the icon from the catalog itself, the same bytes.
        if (name === 'icon.svg')
          expect(plugin.icon).toBe(
            `data:image/svg+xml;base64,${(await readFile(source)).toString('base64')}`,
          );
        withExtras.push(`${plugin.name}/${name}`);
      }
    }
    // Every first-party plugin has both.
    for (const name of ['pgp-signing', 'ssh-signing', 'totp', 'jwt', 'aws-sigv4'])
      expect(withExtras).toEqual(expect.arrayContaining([`${name}/README.md`, `${name}/icon.svg`]));
  });

  it('describes pgp-signing as its plugin.toml does', async () => {
    const toml = parseToml(
      await readFile(join(repo, 'plugins', 'pgp-signing', 'plugin.toml'), 'utf8'),
    ) as {
      plugin: { name: string; version: string; description: string; author: string };
      credential_types: {
        name: string;
        display_name: string;
        fields: { name: string; label: string; secret?: boolean }[];
      }[];
      mcp_tools: { name: string; description: string }[];
    };
    const entry = catalog.plugins.find((p) => p.name === 'pgp-signing');
    expect(entry).toBeDefined();
    expect(entry?.version).toBe(toml.plugin.version);
    expect(entry?.description).toBe(toml.plugin.description);
    expect(entry?.author).toBe(toml.plugin.author);
    expect(entry?.tools).toEqual(
      toml.mcp_tools.map((t) => ({ name: t.name, description: t.description })),
    );
    expect(entry?.tools.map((t) => t.name)).toContain('pgp_sign');
    expect(entry?.credential_types).toEqual(
      toml.credential_types.map((t) => ({
        name: t.name,
        display_name: t.display_name,
        fields: t.fields.map((f) => ({ name: f.name, label: f.label, secret: f.secret ?? false })),
      })),
    );
    expect(entry?.capabilities.crypto).toBe(true);
  });
});

describe('signing with CUSTODIAN_STORE_KEY', () => {
  it('signs with the release key named there and ships its public key', async () => {
    const dir = await makeTempDir('custodian-bundled-key-');
    const key = newKeyFile(dir);
    await writeFile(key.path, key.pem, { mode: 0o600 });
    const out = join(dir, 'store');
    await buildStore(out, key.path);
    const store = await loadBundledStore(out);
    expect(store?.publicKey).toBe(key.publicKey);
    const envelope = JSON.parse(store?.envelope ?? '{}') as { keyId: string };
    expect(envelope.keyId).toBe(key.keyId);
    expect(() =>
      openCatalog(store?.envelope ?? '', decodePublicKey(key.publicKey), 'the test'),
    ).not.toThrow();
  });

  it('a build that fails leaves the previous store whole and no temp folder', async () => {
    const dir = await makeTempDir('custodian-bundled-fail-');
    const out = join(dir, 'store');
    await buildStore(out);
    const before = await readFile(join(out, 'catalog.json'), 'utf8');

    const missing = join(dir, 'no-such-key.pem');
    expect(await failedBuild(out, missing)).toContain(`CUSTODIAN_STORE_KEY=${missing}`);
    const rsa = join(dir, 'rsa.pem');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await writeFile(rsa, privateKey.export({ format: 'pem', type: 'pkcs8' }));
    expect(await failedBuild(out, rsa)).toMatch(/Ed25519; this is a rsa key/);

    expect(await readFile(join(out, 'catalog.json'), 'utf8')).toBe(before);
    expect((await readdir(dir)).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it('a second build replaces the store whole, with a fresh key when none is named', async () => {
    const dir = await makeTempDir('custodian-bundled-again-');
    const out = join(dir, 'store');
    await buildStore(out);
    const first = await loadBundledStore(out);
    await writeFile(join(out, 'archives', 'stale.zip'), 'left from an old build');
    await buildStore(out);
    const second = await loadBundledStore(out);
    expect(second?.publicKey).not.toBe(first?.publicKey);
    expect(await readdir(join(out, 'archives'))).not.toContain('stale.zip');
    expect((await readdir(dir)).sort()).toEqual(['store']);
  });
});

describe('the output folder', () => {
  it('is not replaced when it holds something other than a store', async () => {
    const dir = await makeTempDir('custodian-bundled-foreign-');
    await writeFile(join(dir, 'notes.txt'), 'mine');
    const stderr = await buildStore(dir).then(
      () => '',
      (error: { stderr: string }) => error.stderr,
    );
    expect(stderr).toContain('not a store this script built; refusing to replace it');
    expect(await readdir(dir)).toEqual(['notes.txt']);
  });
});

describe('a first-party plugin that was never built', () => {
  // A copy of the repository's layout whose only plugin has a plugin.toml but
  // no build folder; the script finds the repository from its own location.
  it('fails the build naming the folder and the command that builds it', async () => {
    const mirror = await makeTempDir('custodian-bundled-unbuilt-');
    await mkdir(join(mirror, 'build', 'scripts'), { recursive: true });
    await copyFile(SCRIPT, join(mirror, 'build', 'scripts', 'build-store.ts'));
    await copyFile(join(repo, 'package.json'), join(mirror, 'package.json'));
    for (const name of ['electron', 'shared', 'node_modules'])
      await symlink(join(repo, name), join(mirror, name));
    await mkdir(join(mirror, 'plugins', 'pgp-signing'), { recursive: true });
    await copyFile(
      join(repo, 'plugins', 'pgp-signing', 'plugin.toml'),
      join(mirror, 'plugins', 'pgp-signing', 'plugin.toml'),
    );
    const out = join(mirror, 'out', 'store');
    const failure = await run(
      process.execPath,
      ['--import', 'tsx', join(mirror, 'build', 'scripts', 'build-store.ts'), '--out', out],
      { cwd: mirror },
    ).then(
      () => null,
      (error: { stderr: string }) => error.stderr,
    );
    expect(failure).toContain('plugins/pgp-signing/build is missing');
    expect(failure).toContain('npm run plugins:build');
    // Every archive is packed before anything is written: nothing, not even a temp folder.
    expect(existsSync(join(mirror, 'out'))).toBe(false);
  });
});

describe('loadBundledStore', () => {
  it('is null where no store was built', async () => {
    expect(await loadBundledStore(await makeTempDir('custodian-bundled-none-'))).toBeNull();
  });

  it('refuses a catalog without its public key, naming catalog.pub', async () => {
    const dir = await makeTempDir('custodian-bundled-nokey-');
    await writeFile(join(dir, 'catalog.json'), '{}');
    await expect(loadBundledStore(dir)).rejects.toThrow(`${join(dir, 'catalog.pub')} is missing`);
    await writeFile(join(dir, 'catalog.pub'), '\n');
    await expect(loadBundledStore(dir)).rejects.toThrow(`${join(dir, 'catalog.pub')} is empty`);
  });

  it('reads a store folder that has no archives yet without complaint', async () => {
    const dir = await makeTempDir('custodian-bundled-bare-');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'catalog.json'), 'envelope text');
    await writeFile(join(dir, 'catalog.pub'), ' key \n');
    expect(await loadBundledStore(dir)).toEqual({
      envelope: 'envelope text',
      publicKey: 'key',
      archivesDir: join(dir, 'archives'),
    });
  });
});
