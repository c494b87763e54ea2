import { FIELD_NAME_PATTERN } from '../../../shared/limits';
import { BUILTIN_CREDENTIAL_TYPES } from '../../core/credentials/builtin-types';
import { CliError, EXIT } from './errors';
import { readSecretFile, readSecretStdin } from './read-secret';

// `--field KEY=VALUE` entries into a credential's fields. A value given
// inline is accepted only for a field known not to be secret: a built-in
// type's non-secret fields. The CLI cannot see a plugin type's definitions
// without the vault, so every plugin field comes from a file or stdin; a
// rule that guessed could put a secret in the shell history.

export interface FieldReaders {
  file(path: string, field: string): Promise<string>;
  stdin(field: string): Promise<string>;
}

const nodeReaders: FieldReaders = { file: readSecretFile, stdin: readSecretStdin };

export function isKnownNonSecret(type: string, field: string): boolean {
  const definition = BUILTIN_CREDENTIAL_TYPES.find((t) => t.name === type);
  return definition?.fields.some((f) => f.name === field && !f.secret) ?? false;
}

export async function readFields(
  entries: readonly string[],
  type: string,
  readers: FieldReaders = nodeReaders,
): Promise<Record<string, string>> {
  const parsed = entries.map(splitEntry);
  const seen = new Set<string>();
  for (const { key } of parsed) {
    if (seen.has(key)) throw new CliError(`field "${key}" was given more than once`, EXIT.usage);
    seen.add(key);
  }
  if (parsed.filter((p) => p.value === '@-').length > 1)
    throw new CliError('only one field can be read from stdin (KEY=@-)', EXIT.usage);
  // Every inline value is checked before any file is read, so a refusal never waits on stdin.
  for (const { key, value } of parsed) {
    if (!value.startsWith('@') && !isKnownNonSecret(type, key))
      throw new CliError(
        `field "${key}" may be secret, so its value is not taken from the command line: ` +
          `put it in a file and give --field ${key}=@FILE, or pipe it in with --field ${key}=@-`,
        EXIT.usage,
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
function splitEntry(entry: string): { key: string; value: string } {
  const at = entry.indexOf('=');
  const key = at === -1 ? entry : entry.slice(0, at);
  if (at <= 0 || !FIELD_NAME_PATTERN.test(key))
    throw new CliError(
      at === -1
        ? 'each --field is KEY=VALUE, KEY=@FILE or KEY=@- (a field name was given without "=")'
        : 'each --field is KEY=VALUE, KEY=@FILE or KEY=@-, KEY a lower_snake_case field name',
      EXIT.usage,
    );
  return { key, value: entry.slice(at + 1) };
}
