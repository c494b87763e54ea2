import { withCore } from '../client';
import { CustodianError } from '../../../../shared/errors';
import {
  builtinType,
  isInline,
  parseFieldEntries,
  readFields,
  type FieldEntry,
  type TypeFields,
} from '../fields';
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
    throw new CustodianError('usage', 'credential add needs --type TYPE and --name NAME');
  // Fields are read before connecting to add: a refused inline secret fails
  // even when nothing runs, and stdin is not held open across a connection.
  const entries = parseFieldEntries(options.field ?? []);
  const fields = await readFields(entries, await typeFields(dataDir, type, entries));
  const saved = await withCore(dataDir, (core) =>
    core.call('credentials:add', {
      type,
      name,
      fields,
      ...(options.description !== undefined ? { description: options.description } : {}),
    }),
  );
  say(`added ${saved.type} credential "${saved.name}"`);
  // What the type's import found (a key's fingerprint, say), as the window shows it after a save.
  if (saved.inspection !== undefined) printJson(saved.inspection);
  return 0;
}

export async function removeCredential(dataDir: string, name: string): Promise<number> {
  const removed = await withCore(dataDir, (core) => core.call('credentials:remove', { name }));
  say(`removed credential "${removed.name}"`);
  return 0;
}

/** Every credential type the core knows, with its fields. */
export async function listCredentialTypes(dataDir: string, json: boolean): Promise<number> {
  const { types } = await withCore(dataDir, (core) => core.call('credentialTypes:list', {}));
  if (json) printJson(types);
  else
    printTable(
      ['TYPE', 'SOURCE', 'FIELDS'],
      types.map((t) => [t.name, t.source, t.fields.map(describeField).join(', ')]),
    );
  return 0;
}

function describeField(field: { name: string; secret: boolean; required: boolean }): string {
  const marks = [field.secret ? 'secret' : '', field.required ? 'required' : ''].filter(Boolean);
  return marks.length ? `${field.name} (${marks.join(', ')})` : field.name;
}

/**
 * The type's secret flags, when an inline value needs them: a built-in
 * type's from the CLI itself, another from the running core. Nothing
 * running, or a type it does not know, leaves every field secret.
 */
async function typeFields(
  dataDir: string,
  type: string,
  entries: readonly FieldEntry[],
): Promise<TypeFields | undefined> {
  const builtin = builtinType(type);
  if (builtin || !entries.some(isInline)) return builtin;
  try {
    const { types } = await withCore(dataDir, (core) => core.call('credentialTypes:list', {}));
    return types.find((t) => t.name === type);
  } catch (error) {
    if (error instanceof CustodianError && error.code === 'not_connected') return undefined;
    throw error;
  }
}
