import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BundledStore } from './store-options';

// Reads the first-party catalog `npm run store:build` writes (out/store in
// development, the app's resources when packaged). Only reads: the catalog
// store checks the key and signature, so a bad catalog shows up in the store
// as that catalog's error instead of stopping the app.

export const BUNDLED_CATALOG_FILE = 'catalog.json';
export const BUNDLED_KEY_FILE = 'catalog.pub';
export const BUNDLED_ARCHIVES_DIR = 'archives';

/**
 * The bundled store in `dir`, or null when there is no catalog.json there
 * (a development build that never ran `npm run store:build`). A catalog
 * without its key is a broken build, not an absent store, so it throws.
 */
export async function loadBundledStore(dir: string): Promise<BundledStore | null> {
  const catalogPath = join(dir, BUNDLED_CATALOG_FILE);
  let envelope: string;
  try {
    envelope = await readFile(catalogPath, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return null;
    throw new Error(`${catalogPath} cannot be read: ${messageOf(error)}`, { cause: error });
  }

  const keyPath = join(dir, BUNDLED_KEY_FILE);
  let publicKey: string;
  try {
    publicKey = (await readFile(keyPath, 'utf8')).trim();
  } catch (error) {
    const why = isNotFound(error) ? 'is missing' : `cannot be read (${messageOf(error)})`;
    throw new Error(
      `${keyPath} ${why}: the bundled catalog ${catalogPath} cannot be checked without the key it was signed with; run \`npm run store:build\` again`,
      { cause: error },
    );
  }
  if (publicKey === '')
    throw new Error(
      `${keyPath} is empty: the bundled catalog ${catalogPath} cannot be checked without the key it was signed with; run \`npm run store:build\` again`,
    );

  return { envelope, publicKey, archivesDir: join(dir, BUNDLED_ARCHIVES_DIR) };
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
