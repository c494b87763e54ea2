import { withCore } from '../client';
import { CliError, EXIT } from '../errors';
import { readFields } from '../fields';
import { printJson, printTable, say } from '../output';

export async function listCredentials(
  dataDir: string,
  options: { type?: string; query?: string; json: boolean },
): Promise<number> {
  const { credentials } = await withCore(dataDir, (core) =>
    core.call('credentials:list', {
      ...(options.type !== undefined ? { type: options.type } : {}),
      ...(options.query !== undefined ? { query: options.query } : {}),
    }),
  );
  if (options.json) printJson(credentials);
  else if (credentials.length === 0) say('no credentials');
  else
    printTable(
      ['NAME', 'TYPE', 'UPDATED', 'DESCRIPTION'],
      credentials.map((c) => [c.name, c.type, c.updatedAt, c.description]),
    );
  return 0;
}

export async function addCredential(
  dataDir: string,
  options: { type?: string; name?: string; description?: string; field?: string[] },
): Promise<number> {
  const { type, name } = options;
  if (type === undefined || name === undefined)
    throw new CliError('credential add needs --type TYPE and --name NAME', EXIT.usage);
  // Fields are read before connecting: a refused inline secret fails even
  // when nothing runs, and stdin is not held open across a connection.
  const fields = await readFields(options.field ?? [], type);
  const saved = await withCore(dataDir, (core) =>
    core.call('credentials:add', {
      type,
      name,
      fields,
      ...(options.description !== undefined ? { description: options.description } : {}),
    }),
  );
  say(`added ${saved.type} credential "${saved.name}"`);
  return 0;
}

export async function removeCredential(dataDir: string, name: string): Promise<number> {
  const removed = await withCore(dataDir, (core) => core.call('credentials:remove', { name }));
  say(`removed credential "${removed.name}"`);
  return 0;
}
