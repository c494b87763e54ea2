import { readFile, stat } from 'node:fs/promises';
import { CustodianError } from '../../../../shared/errors';
import { EXIT } from '../../../../shared/error-boundaries';
import type { CatalogSourceInfo } from '../../../../shared/store';
import { decodePublicKey } from '../../../core/store/catalog/catalog-signing';
import { withCore } from '../client';
import { plain, print, printJson, printTable, say } from '../output';

// The catalogs the running app or `custodian serve` trusts: a URL and the
// publisher's public key (raw Ed25519, base64: what `plugin keygen` writes to
// PREFIX.pub). The core fetches and checks them; this only asks and reports.

export async function addCatalog(
  dataDir: string,
  url: string,
  key: string | undefined,
): Promise<number> {
  if (key === undefined)
    throw new CustodianError('usage', 'catalog add needs --key KEY (base64, or @FILE.pub)');
  const publicKey = await readPublicKey(key);
  const { catalog } = await withCore(dataDir, (core) =>
    core.call('catalogs:add', { url, publicKey }),
  );
  say(`added catalog ${catalog.id}: ${describe(catalog)}`);
  return 0;
}

export async function listCatalogs(dataDir: string, json: boolean): Promise<number> {
  const { catalogs } = await withCore(dataDir, (core) => core.call('catalogs:list', {}));
  if (json) printJson(catalogs);
  else if (catalogs.length === 0) say('no catalogs');
  else
    printTable(
      ['ID', 'NAME', 'URL', 'KEY', 'SEQUENCE', 'EXPIRES', 'STALE', 'LAST ERROR'],
      catalogs.map((c) => [
        c.id,
        c.name ?? '-',
        c.url,
        c.keyId,
        c.sequence === null ? '-' : String(c.sequence),
        c.expires ?? '-',
        c.stale ? 'stale' : '-',
        c.lastError ? `${c.lastError.code}: ${c.lastError.message}` : '-',
      ]),
    );
  return 0;
}

export async function removeCatalog(dataDir: string, id: string): Promise<number> {
  const removed = await withCore(dataDir, (core) => core.call('catalogs:remove', { id }));
  say(`removed catalog ${plain(removed.id)}`);
  return 0;
}

/** One line per catalog; status 1 when any was refused (its previous copy stays in use). */
export async function refreshCatalogs(dataDir: string, id: string | undefined): Promise<number> {
  const { results } = await withCore(dataDir, (core) =>
    core.call('catalogs:refresh', id === undefined ? {} : { id }),
  );
  let refused = 0;
  for (const result of results) {
    if (result.ok)
      print(
        `${plain(result.id)}: ${result.changed ? 'updated to' : 'unchanged at'} sequence ${result.sequence}\n`,
      );
    else {
      refused += 1;
      say(`${plain(result.id)}: refused (${result.error.code}): ${plain(result.error.message)}`);
    }
  }
  if (results.length === 0) say('no catalogs to refresh');
  return refused > 0 ? EXIT.failed : EXIT.ok;
}

/** `--key` as given: the base64 key itself, or @FILE holding it (a `.pub` file). */
async function readPublicKey(key: string): Promise<string> {
  let text = key;
  if (key.startsWith('@')) {
    const path = key.slice(1);
    try {
      const stats = await stat(path);
      if (!stats.isFile() || stats.size > 1024) throw new Error('not a public key file');
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new CustodianError(
        'invalid_input',
        `cannot read the public key from ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
  }
  text = text.trim();
  try {
    decodePublicKey(text);
  } catch (error) {
    const from = key.startsWith('@') ? ` in ${key.slice(1)}` : '';
    throw new CustodianError('usage', `the key${from} is not valid: ${(error as Error).message}`);
  }
  return text;
}

function describe(catalog: CatalogSourceInfo): string {
  const name = catalog.name === null ? 'not fetched yet' : `"${plain(catalog.name)}"`;
  const sequence = catalog.sequence === null ? '' : `, sequence ${catalog.sequence}`;
  const count = catalog.pluginCount;
  const plugins = catalog.name === null ? '' : `, ${count} plugin${count === 1 ? '' : 's'}`;
  return `${name} from ${plain(catalog.url)}, key ${catalog.keyId}${sequence}${plugins}`;
}
