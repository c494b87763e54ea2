// `npm run store:build [-- --out DIR]`: the plugin catalog that ships inside
// the app (issue 6). Every first-party plugin (plugins/<name>/ with a
// plugin.toml) is packed from the build folder `npm run plugins:build` wrote,
// into DIR/archives/<name>-<version>.zip, and listed in a signed catalog,
// DIR/catalog.json, with its public key beside it in DIR/catalog.pub. DIR is
// out/store by default. The app trusts this catalog as part of itself, so it
// works offline.
//
// DIR is built in a sibling temp folder and swapped in at the end, so a failed
// build leaves the previous store (or none), never half of one.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packPlugin } from '../../electron/core/store/archive/pack';
import { readPluginArchive } from '../../electron/core/store/archive/read-archive';
import { catalogEntryOf, catalogIconOf } from '../../electron/core/store/catalog/catalog-entry';
import {
  keyIdOf,
  rawPublicKey,
  signCatalog,
} from '../../electron/core/store/catalog/catalog-signing';
import {
  BUNDLED_ARCHIVE_PREFIX,
  catalogBodySchema,
  type CatalogBody,
  type CatalogPlugin,
} from '../../shared/catalog';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PLUGINS_DIR = join(root, 'plugins');
/** Folders under plugins/ that are not first-party plugins. */
const NOT_PLUGINS = new Set(['fixtures', 'template', 'sdk']);
const KEY_ENV = 'CUSTODIAN_STORE_KEY';
const CATALOG_NAME = 'Custodian plugins';
// The app never checks the bundled catalog's expiry (it changes only with the
// app, and an old install must keep a working store offline); the schema
// still wants a date, so it is one no install will reach.
const NEVER = '9999-12-31T23:59:59.000Z';

interface Built {
  entry: CatalogPlugin;
  file: string;
  archive: Buffer;
}

class BuildError extends Error {}

async function main(): Promise<void> {
  const out = parseArgs(process.argv.slice(2));
  await refuseForeignFolder(out);
  const appVersion = (
    JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  const key = await signingKey();
  const rawKey = rawPublicKey(key.publicKey);

  const built: Built[] = [];
  for (const folder of await firstPartyPlugins()) built.push(await buildOne(folder, appVersion));
  built.sort((a, b) => compare(a.entry.name, b.entry.name) || compare(a.file, b.file));

  const body: CatalogBody = {
    name: CATALOG_NAME,
    sequence: 1,
    expires: NEVER,
    plugins: built.map((b) => b.entry),
  };
  // What the app would refuse is refused here, naming the field, not at first launch.
  const checked = catalogBodySchema.safeParse(body);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new BuildError(
      `the catalog is invalid at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'unknown'}`,
    );
  }
  const envelope = signCatalog(JSON.stringify(body, null, 2), key.privateKey);

  await mkdir(dirname(out), { recursive: true });
  const temp = `${out}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    await mkdir(join(temp, 'archives'), { recursive: true });
    for (const { file, archive } of built) await writeFile(join(temp, 'archives', file), archive);
    await writeFile(join(temp, 'catalog.json'), envelope);
    await writeFile(join(temp, 'catalog.pub'), `${rawKey.toString('base64')}\n`);
    await rm(out, { recursive: true, force: true });
    await rename(temp, out);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }

  for (const { entry, file } of built)
    console.log(
      `store: ${entry.name} ${entry.version} -> archives/${file} (${entry.archive.size} bytes, sha256 ${entry.archive.sha256.slice(0, 16)}…)`,
    );
  console.log(
    `store: ${built.length} plugin(s) in ${shownPath(out)}, signed by key ${keyIdOf(rawKey)} (${key.origin})`,
  );
}

function parseArgs(args: string[]): string {
  let out = join(root, 'out', 'store');
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const value = arg === '--out' ? args[++i] : arg.startsWith('--out=') ? arg.slice(6) : null;
    if (value === null)
      throw new BuildError(`unknown argument ${JSON.stringify(arg)}; usage: [--out DIR]`);
    if (!value) throw new BuildError('--out needs a folder');
    out = resolve(value);
  }
  return out;
}

// The output folder is deleted and replaced, so a mistyped --out (".", a
// source folder) must not take someone's files with it: only an empty folder
// or an earlier store is replaced.
async function refuseForeignFolder(out: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(out);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new BuildError(`--out ${out}: ${(error as Error).message}`);
  }
  if (names.length > 0 && !names.includes('catalog.json'))
    throw new BuildError(
      `${out} holds files but no catalog.json, so it is not a store this script built; refusing to replace it`,
    );
}

interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  origin: string;
}

// A release signs with its own key. Any other build signs with a key made for
// this build alone: the public key ships in the same folder as the catalog and
// the app trusts whatever key its own build carries, so the signature only
// proves the catalog and key were not mixed up, and there is nothing secret
// worth keeping. The private key is dropped when the script exits.
async function signingKey(): Promise<SigningKey> {
  const path = process.env[KEY_ENV];
  if (!path) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    return { privateKey, publicKey, origin: 'a key made for this build' };
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(await readFile(path));
  } catch (error) {
    throw new BuildError(
      `${KEY_ENV}=${path}: not a readable PKCS#8 PEM private key (${(error as Error).message})`,
    );
  }
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new BuildError(
      `${KEY_ENV}=${path}: the catalog is signed with Ed25519; this is a ${privateKey.asymmetricKeyType ?? 'unknown'} key`,
    );
  return { privateKey, publicKey: createPublicKey(privateKey), origin: `${KEY_ENV}=${path}` };
}

async function firstPartyPlugins(): Promise<string[]> {
  const entries = await readdir(PLUGINS_DIR, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && !NOT_PLUGINS.has(e.name))
    .map((e) => join(PLUGINS_DIR, e.name))
    .filter((dir) => existsSync(join(dir, 'plugin.toml')))
    .sort();
}

async function buildOne(folder: string, appVersion: string): Promise<Built> {
  const shown = relative(root, folder);
  const buildDir = join(folder, 'build');
  if (!existsSync(join(buildDir, 'plugin.toml')))
    throw new BuildError(
      `${shown}/build is missing or incomplete: run \`npm run plugins:build\` first`,
    );
  let archive: Buffer;
  let read;
  try {
    archive = await packPlugin(buildDir);
    // Read back as the app will: a first-party plugin this app version cannot
    // install fails the build rather than showing up broken in the store.
    read = await readPluginArchive(archive, { appVersion });
  } catch (error) {
    throw new BuildError(`${shown}: ${(error as Error).message}`);
  }
  const { manifest, sha256, files } = read;
  const file = `${manifest.plugin.name}-${manifest.plugin.version}.zip`;
  const entry = catalogEntryOf(
    manifest,
    { url: `${BUNDLED_ARCHIVE_PREFIX}${file}`, size: archive.length, sha256 },
    catalogIconOf(files),
  );
  return { entry, file, archive };
}

function shownPath(path: string): string {
  const fromHere = relative(process.cwd(), path);
  return fromHere === '' || fromHere.startsWith('..') || isAbsolute(fromHere) ? path : fromHere;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`${basename(fileURLToPath(import.meta.url))}: ${message}`);
  if (!(error instanceof BuildError) && error instanceof Error && error.stack)
    console.error(error.stack);
  process.exitCode = 1;
});
