import * as nodeFs from 'node:fs/promises';
import { join } from 'node:path';
import { readFileIfExists } from '../files/atomic-file';
import type { BundledStore } from './store-options';

// Reads the first-party catalog `npm run store:build` writes (out/store in
// development, the app's resources when packaged). Only reads: the catalog
// store checks the key and signature, so a bad catalog shows up in the store
// as that catalog's error instead of stopping the app.

const BUNDLED_CATALOG_FILE = 'catalog.json';
const BUNDLED_KEY_FILE = 'catalog.pub';
const BUNDLED_ARCHIVES_DIR = 'archives';

/**
 * The bundled store in `dir`, or null when there is no catalog.json there
 * (a development build that never ran `npm run store:build`). A catalog
 * without its key is a broken build, not an absent store, so it throws.
 */
export async function loadBundledStore(dir: string): Promise<BundledStore | null> {
  const catalogPath = join(dir, BUNDLED_CATALOG_FILE);
  const envelope = await readText(catalogPath);
  if (envelope === null) return null;
  const keyPath = join(dir, BUNDLED_KEY_FILE);
  const publicKey = (await readText(keyPath))?.trim() ?? null;
  if (!publicKey)
    throw new Error(
      `${keyPath} ${publicKey === null ? 'is missing' : 'is empty'}: the bundled catalog ${catalogPath} cannot be checked without the key it was signed with; run \`npm run store:build\` again`,
    );
  return { envelope, publicKey, archivesDir: join(dir, BUNDLED_ARCHIVES_DIR) };
}

/** The file's text, or null when it does not exist; any other failure names the file. */
async function readText(path: string): Promise<string | null> {
  try {
    return (await readFileIfExists(nodeFs, path))?.toString('utf8') ?? null;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`${path} cannot be read: ${why}`, { cause: error });
  }
}
