import type {
  CreateCredentialInput,
  CredentialDetail,
  UpdateCredentialInput,
} from '../../../shared/credentials';
import { CREDENTIAL_DESCRIPTION_MAX, CREDENTIAL_NAME_MAX } from '../../../shared/limits';
import type { CredentialTypeInfo, FieldDefinition, FieldValue } from '../../../shared/fields';
import {
  defaultFieldValues,
  validateFieldValues,
  type FieldErrors,
} from '../../../shared/validate-fields';
import type { CustodianError } from '../../../shared/errors';

// The credential form as plain data and pure functions: what it starts with,
// what is wrong with it, and what goes to main on create and on update.

export interface CredentialFormState {
  name: string;
  description: string;
  /** One value per field of the type: strings for inputs, booleans for checkboxes. */
  values: Record<string, FieldValue>;
}

export interface FormErrors {
  name?: string;
  description?: string;
  /** Keyed by field name. */
  fields: FieldErrors;
  /** An error that belongs to no single input. */
  form?: string;
}

const emptyValue = (field: FieldDefinition): FieldValue => (field.type === 'checkbox' ? false : '');

/** A new credential: the type's defaults, empty elsewhere. */
export function newFormState(type: CredentialTypeInfo): CredentialFormState {
  const defaults = defaultFieldValues(type.fields);
  const values: Record<string, FieldValue> = {};
  for (const field of type.fields) values[field.name] = defaults[field.name] ?? emptyValue(field);
  return { name: '', description: '', values };
}

/**
 * An existing credential: non-secret values as stored. Secret inputs start
 * empty, meaning "unchanged"; main never sends their values here.
 */
export function editFormState(
  type: CredentialTypeInfo,
  detail: CredentialDetail,
): CredentialFormState {
  const values: Record<string, FieldValue> = {};
  for (const field of type.fields) {
    const stored = field.secret ? undefined : detail.fields[field.name];
    if (field.type === 'checkbox') values[field.name] = stored === true;
    else values[field.name] = typeof stored === 'string' ? stored : '';
  }
  return { name: detail.name, description: detail.description, values };
}

/** The same rules main enforces, checked before sending so errors show inline at once. */
export function validateForm(
  type: CredentialTypeInfo,
  state: CredentialFormState,
  storedSecrets: ReadonlySet<string>,
): FormErrors {
  const errors: FormErrors = { fields: {} };
  const name = state.name.trim();
  if (!name) errors.name = 'Name is required';
  else if (name.length > CREDENTIAL_NAME_MAX)
    errors.name = `Name must be at most ${CREDENTIAL_NAME_MAX} characters`;
  if (state.description.length > CREDENTIAL_DESCRIPTION_MAX)
    errors.description = `Description must be at most ${CREDENTIAL_DESCRIPTION_MAX} characters`;
  // A stored secret left empty stays as it is, so it satisfies "required".
  errors.fields = validateFieldValues(type.fields, state.values, { stored: storedSecrets });
  return errors;
}

export function hasErrors(errors: FormErrors): boolean {
  return Boolean(
    errors.name || errors.description || errors.form || Object.keys(errors.fields).length,
  );
}

/**
 * Every field goes to main as typed. An emptied optional field is sent as ""
 * rather than left out, so main stores it empty instead of applying the default.
 */
export function toCreateRequest(
  type: CredentialTypeInfo,
  state: CredentialFormState,
): CreateCredentialInput {
  const fields: Record<string, FieldValue> = {};
  for (const field of type.fields) fields[field.name] = state.values[field.name] ?? '';
  return { type: type.name, name: state.name.trim(), description: state.description, fields };
}

/**
 * Only what changed: a secret goes out only when something was typed into it
 * (empty means "keep the stored one"); a non-secret value that was emptied
 * goes in `clear`.
 */
export function toUpdateRequest(
  type: CredentialTypeInfo,
  detail: CredentialDetail,
  state: CredentialFormState,
): UpdateCredentialInput {
  const original = editFormState(type, detail);
  const fields: Record<string, FieldValue> = {};
  const clear: string[] = [];
  for (const field of type.fields) {
    const value = state.values[field.name] ?? emptyValue(field);
    if (field.secret) {
      if (value !== '') fields[field.name] = value;
    } else if (value !== original.values[field.name]) {
      if (value === '') clear.push(field.name);
      else fields[field.name] = value;
    }
  }
  const request: UpdateCredentialInput = { id: detail.id, fields, clear };
  const name = state.name.trim();
  if (name !== detail.name) request.name = name;
  if (state.description !== detail.description) request.description = state.description;
  return request;
}

/** Puts main's answer next to the inputs it is about. */
export function serverErrors(type: CredentialTypeInfo, error: CustodianError): FormErrors {
  const errors: FormErrors = { fields: {} };
  if (error.code === 'name_taken') {
    errors.name = error.fields.name ?? error.message;
    return errors;
  }
  if (error.code !== 'invalid_input') {
    errors.form = error.message;
    return errors;
  }
  const fieldNames = new Set(type.fields.map((field) => field.name));
  for (const [key, message] of Object.entries(error.fields)) {
    if (fieldNames.has(key)) errors.fields[key] = message;
    else if (key === 'name') errors.name = message;
    else if (key === 'description') errors.description = message;
    else errors.form = error.message;
  }
  if (!hasErrors(errors)) errors.form = error.message;
  return errors;
}
