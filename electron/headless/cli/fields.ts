import { FIELD_NAME_PATTERN } from '../../../shared/limits';
import { CustodianError } from '../../../shared/errors';
import { BUILTIN_CREDENTIAL_TYPES } from '../../core/credentials/builtin-types';
import { readSecretFile, readSecretStdin } from './read-secret';

// `--field KEY=VALUE` entries into a credential's fields. A value given
// inline is accepted only for a field its type declares not secret: a
// built-in type's (the CLI carries them), or a plugin type's as the running
// core answers. A type nobody could look up counts every field as secret: a
// rule that guessed could put a secret in the shell history.

export interface FieldReaders {
  file(path: string, field: string): Promise<string>;
  stdin(field: string): Promise<string>;
}

/** What decides an inline value: each field's declared secret flag. */
export interface TypeFields {
  fields: readonly { name: string; secret: boolean }[];
}

const nodeReaders: FieldReaders = { file: readSecretFile, stdin: readSecretStdin };

export function builtinType(type: string): TypeFields | undefined {
  return BUILTIN_CREDENTIAL_TYPES.find((t) => t.name === type);
}

export function isKnownNonSecret(definition: TypeFields | undefined, field: string): boolean {
  return definition?.fields.some((f) => f.name === field && !f.secret) ?? false;
}

export interface FieldEntry {
  key: string;
  /** As given: inline text, @FILE or @-. */
  value: string;
}

/** The entries' shape, before any type is looked up or any file read. */
export function parseFieldEntries(entries: readonly string[]): FieldEntry[] {
  const parsed = entries.map(splitEntry);
  const seen = new Set<string>();
  for (const { key } of parsed) {
    if (seen.has(key)) throw new CustodianError('usage', `field "${key}" was given more than once`);
    seen.add(key);
  }
  if (parsed.filter((p) => p.value === '@-').length > 1)
    throw new CustodianError('usage', 'only one field can be read from stdin (KEY=@-)');
  return parsed;
}

export const isInline = (entry: FieldEntry) => !entry.value.startsWith('@');

export async function readFields(
  parsed: readonly FieldEntry[],
  definition: TypeFields | undefined,
  readers: FieldReaders = nodeReaders,
): Promise<Record<string, string>> {
  // Every inline value is checked before any file is read, so a refusal never waits on stdin.
  for (const { key, value } of parsed) {
    if (isInline({ key, value }) && !isKnownNonSecret(definition, key))
      throw new CustodianError(
        'usage',
        `field "${key}" may be secret, so its value is not taken from the command line: ` +
          `put it in a file and give --field ${key}=@FILE, or pipe it in with --field ${key}=@-`,
      );
  }
  const fields: Record<string, string> = {};
  for (const { key, value } of parsed) {
    if (value === '@-') fields[key] = await readers.stdin(key);
    else if (value.startsWith('@')) fields[key] = await readers.file(value.slice(1), key);
    else fields[key] = value;
  }
  return fields;
}

/** The value is never part of a message: it may be a secret typed by mistake. */
function splitEntry(entry: string): FieldEntry {
  const at = entry.indexOf('=');
  const key = at === -1 ? entry : entry.slice(0, at);
  if (at <= 0 || !FIELD_NAME_PATTERN.test(key))
    throw new CustodianError(
      'usage',
      at === -1
        ? 'each --field is KEY=VALUE, KEY=@FILE or KEY=@- (a field name was given without "=")'
        : 'each --field is KEY=VALUE, KEY=@FILE or KEY=@-, KEY a lower_snake_case field name',
    );
  return { key, value: entry.slice(at + 1) };
}
