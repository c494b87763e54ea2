import { codePoint, describeCharacter } from './display-text';
import type { FieldDefinition, FieldValues } from './fields';
import { firstNonFieldValueCharacter } from './http-grammar';
import { FIELD_VALUE_MAX_LENGTH } from './limits';

// One validator for the form and for main: the form uses it for inline errors,
// main uses it to refuse anything the form was bypassed to send.

export type FieldErrors = Record<string, string>;

export interface ValidateOptions {
  /** Fields already stored (on edit): a required field that is stored need not be sent again. */
  stored?: ReadonlySet<string>;
  /** On edit only the fields being changed are sent. */
  partial?: boolean;
}

export function validateFieldValues(
  fields: readonly FieldDefinition[],
  values: Readonly<Record<string, unknown>>,
  options: ValidateOptions = {},
): FieldErrors {
  const errors: FieldErrors = {};
  const known = new Set(fields.map((f) => f.name));
  for (const name of Object.keys(values)) {
    if (!known.has(name)) errors[name] = `"${name}" is not a field of this credential type`;
  }
  for (const field of fields) {
    const message = validateOne(field, values[field.name], options);
    if (message) errors[field.name] = message;
  }
  return errors;
}

function validateOne(
  field: FieldDefinition,
  value: unknown,
  options: ValidateOptions,
): string | undefined {
  const isEmpty = value === undefined || value === '';
  if (isEmpty) {
    if (!field.required || field.type === 'checkbox') return undefined;
    if (options.stored?.has(field.name)) return undefined;
    if (options.partial && value === undefined) return undefined;
    return `${field.label} is required`;
  }
  if (field.type === 'checkbox') {
    return typeof value === 'boolean' ? undefined : `${field.label} must be true or false`;
  }
  if (typeof value !== 'string') return `${field.label} must be text`;
  if (value.length > FIELD_VALUE_MAX_LENGTH)
    return `${field.label} is longer than ${FIELD_VALUE_MAX_LENGTH} characters`;
  if (field.type === 'select' && !field.options?.includes(value)) {
    return `${field.label} must be one of: ${field.options?.join(', ')}`;
  }
  if (field.min_length !== undefined && value.length < field.min_length) {
    // Said of a secret: a short one is guessed quickly, and output screening
    // can only find it as a whole word.
    const why = field.secret ? ': a shorter secret is easy to guess' : '';
    return `${field.label} must be at least ${field.min_length} characters${why}`;
  }
  if (field.max_length !== undefined && value.length > field.max_length) {
    return `${field.label} must be at most ${field.max_length} characters`;
  }
  if (field.http_header) {
    const bad = firstNonFieldValueCharacter(value);
    // A secret's character is named by its code point only, never shown.
    if (bad !== undefined)
      return `${field.label} contains ${field.secret ? codePoint(bad) : describeCharacter(bad)}, which an HTTP header cannot carry`;
  }
  if (field.validation_pattern !== undefined && !fullMatch(field.validation_pattern, value)) {
    return field.validation_message ?? `${field.label} does not have the expected format`;
  }
  return undefined;
}

// A pattern must match the whole value, as an HTML pattern attribute does.
function fullMatch(pattern: string, value: string): boolean {
  return new RegExp(`^(?:${pattern})$`, 'u').test(value);
}

/** The values a new credential form starts with. */
export function defaultFieldValues(fields: readonly FieldDefinition[]): FieldValues {
  const values: FieldValues = {};
  for (const field of fields) {
    if (field.default !== undefined) values[field.name] = field.default;
    else if (field.type === 'checkbox') values[field.name] = false;
  }
  return values;
}
