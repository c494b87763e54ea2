import { open, readFile, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { CustodianError } from '../../../../shared/errors';
import { catalogBodySchema, CATALOG_MAX_BYTES } from '../../../../shared/catalog';
import { ARCHIVE_LIMITS } from '../../../../shared/plugin-archive';
import { isArchiveRefusal } from '../../../core/store/archive/errors';
import { packPlugin } from '../../../core/store/archive/pack';
import { readPluginArchive } from '../../../core/store/archive/read-archive';
import {
  formatSignature,
  generateSigningKey,
  keyIdOf,
  signArchive,
  SignatureError,
} from '../../../core/store/archive/signing';
import { CatalogError, signCatalog } from '../../../core/store/catalog/catalog-signing';
import { plain, print, say } from '../output';
import { CLI_VERSION } from '../version';

// For plugin authors and catalog publishers, offline: no vault, no running
// core. A key pair is PREFIX.key (PKCS#8 PEM, 0600, never printed) and
// PREFIX.pub (the raw Ed25519 key in base64, the form catalogs and
// `catalog add --key` take). Archives are checked before they are signed, and
// catalog bodies before they are wrapped, so nobody publishes garbage.

/** A PEM Ed25519 private key is about 120 bytes; anything much larger is not one. */
const MAX_KEY_BYTES = 16 * 1024;

export async function keygen(out: string | undefined): Promise<number> {
  if (out === undefined) throw new CustodianError('usage', 'plugin keygen needs --out PREFIX');
  const keyPath = `${out}.key`;
  const pubPath = `${out}.pub`;
  // Both names are checked before either is written: a half-made pair is useless.
  for (const path of [keyPath, pubPath]) {
    if (await exists(path))
      throw new CustodianError('invalid_input', `${path} already exists: refusing to overwrite it`);
  }
  const pair = generateSigningKey();
  let made: string[] = [];
  try {
    await writeExclusive(keyPath, pair.privateKey, 0o600, made);
    await writeExclusive(pubPath, `${pair.publicKey}\n`, 0o644, made);
    made = [];
  } finally {
    // Only files this command created: one that was there first is never ours.
    for (const path of made) await rm(path, { force: true });
  }
  print(`key id:     ${pair.keyId}\npublic key: ${pair.publicKey}\n`);
  say(`wrote ${keyPath} (the private key: keep it secret) and ${pubPath} (the public key)`);
  return 0;
}

export async function pack(dir: string, out: string | undefined): Promise<number> {
  if (out === undefined) throw new CustodianError('usage', 'plugin pack needs --out FILE');
  let archive: Buffer;
  try {
    archive = await packPlugin(dir);
  } catch (error) {
    throw authorError(error, `cannot pack ${dir}`);
  }
  let manifest, sha256;
  try {
    // Read back as an installer would, whatever app version the plugin needs.
    ({ manifest, sha256 } = await readPluginArchive(archive, { appVersion: '999999.0.0' }));
  } catch (error) {
    throw authorError(error, `the archive packed from ${dir} does not read back`);
  }
  await writeOut(out, archive);
  const sig = `${out}.sig`;
  if (await exists(sig)) say(`${sig} was made for the previous archive: sign again`);
  printFields([
    ['packed', `${manifest.plugin.name} ${manifest.plugin.version}`],
    ['archive', out],
    ['size', `${archive.length} bytes`],
    ['sha256', sha256],
  ]);
  return 0;
}

export async function sign(archivePath: string, keyPath: string | undefined): Promise<number> {
  if (keyPath === undefined) throw new CustodianError('usage', 'plugin sign needs --key FILE');
  const privateKey = await readPrivateKey(keyPath);
  const archive = await readInput(archivePath, ARCHIVE_LIMITS.maxArchiveBytes, 'plugin archive');
  let manifest;
  try {
    ({ manifest } = await readPluginArchive(archive, { appVersion: CLI_VERSION }));
  } catch (error) {
    throw authorError(error, `${archivePath} is not a plugin archive this app accepts`);
  }
  let signature;
  try {
    signature = signArchive(archive, privateKey);
  } catch (error) {
    throw authorError(error, `cannot sign with ${keyPath}`);
  }
  const sigPath = `${archivePath}.sig`;
  await writeOut(sigPath, formatSignature(signature));
  printFields([
    ['signed', `${manifest.plugin.name} ${manifest.plugin.version}`],
    ['key id', signature.keyId],
    ['signature', sigPath],
  ]);
  return 0;
}

export async function signCatalogFile(
  bodyPath: string,
  options: { key?: string; out?: string },
): Promise<number> {
  if (options.key === undefined || options.out === undefined)
    throw new CustodianError('usage', 'catalog sign needs --key FILE and --out FILE');
  const privateKey = await readPrivateKey(options.key);
  const bodyText = (await readInput(bodyPath, CATALOG_MAX_BYTES, 'catalog body')).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch (error) {
    throw new CustodianError(
      'invalid_input',
      `${bodyPath} is not valid JSON: ${(error as Error).message}`,
    );
  }
  const parsed = catalogBodySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') || '(the body)';
    throw new CustodianError(
      'invalid_input',
      `${bodyPath} is not a valid catalog body: ${path}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const body = parsed.data;
  if (Date.parse(body.expires) <= Date.now())
    throw new CustodianError(
      'invalid_input',
      `${bodyPath}: expires (${body.expires}) is in the past: no app would accept it`,
    );
  let envelope: string;
  try {
    keyIdOf(privateKey);
    envelope = signCatalog(bodyText, privateKey);
  } catch (error) {
    throw authorError(error, `cannot sign with ${options.key}`);
  }
  if (Buffer.byteLength(envelope, 'utf8') > CATALOG_MAX_BYTES)
    throw new CustodianError(
      'invalid_input',
      `the signed catalog would be larger than ${CATALOG_MAX_BYTES} bytes, which no app accepts`,
    );
  await writeOut(options.out, envelope);
  printFields([
    [
      'signed',
      `${body.name} (sequence ${body.sequence}, ${body.plugins.length} plugin${body.plugins.length === 1 ? '' : 's'})`,
    ],
    ['key id', keyIdOf(privateKey)],
    ['catalog', options.out],
  ]);
  return 0;
}

/** An error from the store's checks, as one CustodianError naming what was refused. */
function authorError(error: unknown, context: string): Error {
  if (isArchiveRefusal(error))
    return new CustodianError(error.code, `${context}: ${error.message}`, error.details);
  if (error instanceof SignatureError || error instanceof CatalogError)
    return new CustodianError('invalid_input', `${context}: ${error.message}`);
  if (error instanceof CustodianError) return error;
  return new CustodianError(
    'invalid_input',
    `${context}: ${(error as Error)?.message ?? String(error)}`,
  );
}

async function readPrivateKey(path: string): Promise<string> {
  const pem = (await readInput(path, MAX_KEY_BYTES, 'private key')).toString('utf8');
  if (!pem.includes('PRIVATE KEY-----'))
    throw new CustodianError(
      'invalid_input',
      `${path} is not a private key (PKCS#8 PEM, as \`plugin keygen\` writes to PREFIX.key)`,
    );
  try {
    keyIdOf(pem);
  } catch {
    throw new CustodianError('invalid_input', `${path} is not an Ed25519 private key`);
  }
  return pem;
}

async function readInput(path: string, maxBytes: number, what: string): Promise<Buffer> {
  let size: number;
  try {
    const stats = await stat(path);
    if (!stats.isFile())
      throw new CustodianError('invalid_input', `${path} is not a file (the ${what})`);
    size = stats.size;
  } catch (error) {
    if (error instanceof CustodianError) throw error;
    throw new CustodianError(
      'invalid_input',
      `cannot read ${path} (the ${what}): ${codeOf(error)}`,
    );
  }
  if (size > maxBytes)
    throw new CustodianError(
      'invalid_input',
      `${path} is ${size} bytes; a ${what} is at most ${maxBytes}`,
    );
  try {
    return await readFile(path);
  } catch (error) {
    throw new CustodianError(
      'invalid_input',
      `cannot read ${path} (the ${what}): ${codeOf(error)}`,
    );
  }
}

async function writeOut(path: string, data: Buffer | string): Promise<void> {
  try {
    await writeFile(path, data);
  } catch (error) {
    throw new CustodianError('invalid_input', `cannot write ${path}: ${codeOf(error)}`);
  }
}

/** Creates `path` (never an existing file) with exactly `mode`, and records it in `made`. */
async function writeExclusive(
  path: string,
  data: string,
  mode: number,
  made: string[],
): Promise<void> {
  let file: FileHandle;
  try {
    file = await open(path, 'wx', mode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new CustodianError('invalid_input', `${path} already exists: refusing to overwrite it`);
    throw new CustodianError(
      'invalid_input',
      `cannot create ${path}: ${code ?? (error as Error).message}`,
    );
  }
  made.push(path);
  try {
    // The umask may only clear bits; this makes the mode exactly what was asked.
    await file.chmod(mode);
    await file.writeFile(data);
    await file.sync();
  } catch (error) {
    throw new CustodianError('invalid_input', `cannot write ${path}: ${codeOf(error)}`);
  } finally {
    await file.close();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => error.code !== 'ENOENT',
  );
}

function printFields(fields: readonly (readonly [string, string])[]): void {
  const width = Math.max(...fields.map(([label]) => label.length)) + 1;
  for (const [label, value] of fields) print(`${`${label}:`.padEnd(width)} ${plain(value)}\n`);
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}
