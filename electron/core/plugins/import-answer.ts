import type { CredentialType } from '../../../shared/fields';
import {
  IMPORT_NAME_PATTERN,
  IMPORT_NAMES_MAX,
  IMPORT_VALUE_MAX_BYTES,
} from '../../../shared/plugin-abi';

// What a type's import entry answered, checked before anything of it is kept:
// {info, sealed, public} with names that are no declared field's, at most
// IMPORT_NAMES_MAX of them, each value text of at most IMPORT_VALUE_MAX_BYTES.
// Messages name the part and the name, never a value.

export interface CheckedImport {
  info: unknown;
  sealed: Record<string, string>;
  public: Record<string, string>;
}

const PARTS = ['info', 'sealed', 'public'] as const;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The checked answer, or what is wrong with it. Under the older spelling
 * (`on_save`), an answer that is not {info, sealed, public} is all info, as
 * before imports: shown, nothing kept.
 */
export function readImportAnswer(
  data: unknown,
  type: Pick<CredentialType, 'fields'>,
  olderSpelling: boolean,
): CheckedImport | string {
  const shaped =
    isObject(data) &&
    Object.keys(data).length > 0 &&
    Object.keys(data).every((k) => (PARTS as readonly string[]).includes(k));
  if (!shaped) {
    if (olderSpelling) return { info: data, sealed: {}, public: {} };
    return 'its import did not answer {"info", "sealed", "public"}';
  }
  const declared = new Set(type.fields.map((f) => f.name));
  const seen = new Set<string>();
  const part = (name: 'sealed' | 'public'): Record<string, string> | string => {
    const value = data[name];
    if (value === undefined) return {};
    if (!isObject(value)) return `its import's "${name}" is not an object of texts`;
    const result: Record<string, string> = {};
    for (const [key, text] of Object.entries(value)) {
      const shown = key.slice(0, 64);
      if (!IMPORT_NAME_PATTERN.test(key))
        return `its import's "${name}" has a name that is not lower_snake_case ("${shown}")`;
      if (declared.has(key))
        return `its import's "${name}" names "${shown}", which is a field of the credential`;
      if (seen.has(key)) return `its import gives "${shown}" twice`;
      if (typeof text !== 'string') return `its import's "${name}.${shown}" is not text`;
      if (Buffer.byteLength(text, 'utf8') > IMPORT_VALUE_MAX_BYTES)
        return `its import's "${name}.${shown}" is larger than ${IMPORT_VALUE_MAX_BYTES} bytes`;
      seen.add(key);
      result[key] = text;
    }
    return result;
  };
  const sealed = part('sealed');
  if (typeof sealed === 'string') return sealed;
  const published = part('public');
  if (typeof published === 'string') return published;
  if (seen.size > IMPORT_NAMES_MAX)
    return `its import gives ${seen.size} names in "sealed" and "public"; at most ${IMPORT_NAMES_MAX}`;
  return { info: data.info, sealed, public: published };
}
