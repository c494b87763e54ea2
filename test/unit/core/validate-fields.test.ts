import { describe, expect, it } from 'vitest';
import { BUILTIN_CREDENTIAL_TYPES } from '../../../electron/core/credentials/builtin-types';
import { credentialTypeSchema, fieldDefinitionSchema } from '../../../shared/fields';
import { defaultFieldValues, validateFieldValues } from '../../../shared/validate-fields';

const type = (name: string) => {
  const found = BUILTIN_CREDENTIAL_TYPES.find((t) => t.name === name);
  if (!found) throw new Error(name);
  return found;
};

describe('field definitions', () => {
  it('every built-in type is valid under the schema plugins use', () => {
    for (const t of BUILTIN_CREDENTIAL_TYPES)
      expect(() => credentialTypeSchema.parse(t)).not.toThrow();
    expect(BUILTIN_CREDENTIAL_TYPES.map((t) => t.name)).toEqual([
      'api_key',
      'basic_auth',
      'secret_note',
    ]);
  });

  it('refuses contradictory definitions with the field named', () => {
    const bad = [
      { name: 'x', label: 'X', type: 'select' },
      { name: 'x', label: 'X', type: 'text', options: ['a'] },
      { name: 'x', label: 'X', type: 'checkbox', secret: true },
      { name: 'x', label: 'X', validation_pattern: '(' },
      { name: 'x', label: 'X', min_length: 5, max_length: 2 },
      { name: 'Bad-Name', label: 'X' },
      { name: 'x', label: 'X', unknown_key: 1 },
      { name: 'name', label: 'Clashes with the credential name' },
      { name: 'type', label: 'Clashes with the credential type' },
    ];
    for (const field of bad)
      expect(fieldDefinitionSchema.safeParse(field).success, JSON.stringify(field)).toBe(false);
    const dup = credentialTypeSchema.safeParse({
      name: 't',
      display_name: 'T',
      fields: [
        { name: 'a', label: 'A' },
        { name: 'a', label: 'A' },
      ],
    });
    expect(dup.success).toBe(false);
    expect(JSON.stringify(dup.error?.issues)).toContain('duplicate field');
  });
});

describe('validateFieldValues', () => {
  const apiKey = type('api_key').fields;

  it('fills defaults for a new form', () => {
    expect(defaultFieldValues(apiKey)).toEqual({
      header_name: 'Authorization',
      header_prefix: 'Bearer ',
    });
  });

  it('accepts a complete api key', () => {
    expect(
      validateFieldValues(apiKey, {
        key: 'k-secret-1',
        header_name: 'X-Api-Key',
        allowed_hosts: 'api.example.com, *.example.org:8443',
      }),
    ).toEqual({});
    // An explicit http:// entry (one host and port over plain http) is accepted too.
    expect(
      validateFieldValues(apiKey, {
        key: 'k-secret-1',
        header_name: 'X-Api-Key',
        allowed_hosts: 'https://api.example.com\nhttp://127.0.0.1:8080',
      }),
    ).toEqual({});
    expect(
      validateFieldValues(apiKey, {
        key: 'k-secret-1',
        header_name: 'A',
        allowed_hosts: 'ftp://x.org',
      }).allowed_hosts,
    ).toMatch(/host names/);
  });

  it('names each broken rule', () => {
    const errors = validateFieldValues(apiKey, {
      header_name: 'Bad Header',
      allowed_hosts: 'not a/host',
      extra: 'x',
    });
    expect(errors.key).toBe('Key is required');
    expect(errors.header_name).toMatch(/HTTP header name/);
    expect(errors.allowed_hosts).toMatch(/host names/);
    expect(errors.extra).toMatch(/not a field/);
  });

  it('enforces lengths, options, types and whole-value patterns', () => {
    const fields = [
      fieldDefinitionSchema.parse({
        name: 'code',
        label: 'Code',
        min_length: 3,
        max_length: 4,
        validation_pattern: '[0-9]+',
      }),
      fieldDefinitionSchema.parse({
        name: 'kind',
        label: 'Kind',
        type: 'select',
        options: ['a', 'b'],
      }),
      fieldDefinitionSchema.parse({ name: 'on', label: 'On', type: 'checkbox' }),
    ];
    expect(validateFieldValues(fields, { code: '12' }).code).toMatch(/at least 3/);
    expect(validateFieldValues(fields, { code: '12345' }).code).toMatch(/at most 4/);
    expect(validateFieldValues(fields, { code: '12a4' }).code).toMatch(/expected format/);
    expect(validateFieldValues(fields, { code: 'x123' }).code).toMatch(/expected format/);
    expect(validateFieldValues(fields, { kind: 'c' }).kind).toMatch(/one of: a, b/);
    expect(validateFieldValues(fields, { on: 'yes' }).on).toMatch(/true or false/);
    expect(validateFieldValues(fields, { code: 123 }).code).toMatch(/must be text/);
    expect(validateFieldValues(fields, { code: '123', kind: 'a', on: true })).toEqual({});
  });

  it('lets an edit leave a stored required secret alone', () => {
    const password = type('basic_auth').fields;
    expect(validateFieldValues(password, { username: 'u' }).password).toBe('Password is required');
    expect(
      validateFieldValues(password, { username: 'u' }, { stored: new Set(['password']) }),
    ).toEqual({});
  });
});

describe('fields sent in an HTTP header', () => {
  const apiKey = type('api_key').fields;

  it('are the api key and its prefix', () => {
    expect(apiKey.filter((f) => f.http_header).map((f) => f.name)).toEqual([
      'key',
      'header_prefix',
    ]);
  });

  it('refuse what a header cannot carry, naming the field and the character', () => {
    const values = { key: 'sk-abc-123', header_name: 'Authorization' };
    expect(validateFieldValues(apiKey, { ...values, key: 'sk-\u200babc-123' }).key).toBe(
      'Key contains U+200B, which an HTTP header cannot carry',
    );
    expect(validateFieldValues(apiKey, { ...values, key: 'sk-€-abc-123' }).key).toBe(
      'Key contains U+20AC, which an HTTP header cannot carry',
    );
    expect(validateFieldValues(apiKey, { ...values, key: 'sk\nabc-123' }).key).toBe(
      'Key contains U+000A, which an HTTP header cannot carry',
    );
    expect(validateFieldValues(apiKey, { ...values, header_prefix: 'Tök€n ' }).header_prefix).toBe(
      'Header prefix contains "€" (U+20AC), which an HTTP header cannot carry',
    );
    expect(validateFieldValues(apiKey, { ...values, header_prefix: 'Token\t' })).toEqual({});
    expect(validateFieldValues(apiKey, values)).toEqual({});
  });

  it('is a rule any type may declare', () => {
    const field = fieldDefinitionSchema.parse({ name: 'token', label: 'Token', http_header: true });
    expect(validateFieldValues([field], { token: 'a\u0001' }).token).toMatch(/U\+0001/);
    expect(fieldDefinitionSchema.safeParse({ name: 'x', label: 'X', http_header: 1 }).success).toBe(
      false,
    );
  });
});

// Issue 14: a secret field can declare a minimum length, and an API key needs 8.
describe('a secret field’s minimum length', () => {
  const apiKey = type('api_key').fields;
  const rest = { header_name: 'Authorization' };

  it('refuses an API key shorter than 8 characters, naming the field and why', () => {
    expect(validateFieldValues(apiKey, { ...rest, key: 'ab12z' }).key).toBe(
      'Key must be at least 8 characters: a shorter secret is easy to guess',
    );
    expect(validateFieldValues(apiKey, { ...rest, key: 'ab12z-x' }).key).toMatch(/at least 8/);
    expect(validateFieldValues(apiKey, { ...rest, key: 'ab12z-xy' })).toEqual({});
  });

  it('is declared in the same field schema plugin manifests use', () => {
    const field = fieldDefinitionSchema.parse({
      name: 'token',
      label: 'Token',
      secret: true,
      min_length: 12,
    });
    expect(validateFieldValues([field], { token: 'short-token' }).token).toBe(
      'Token must be at least 12 characters: a shorter secret is easy to guess',
    );
    expect(validateFieldValues([field], { token: 'long-enough-token' })).toEqual({});
    const plain = fieldDefinitionSchema.parse({ name: 'code', label: 'Code', min_length: 3 });
    expect(validateFieldValues([plain], { code: '12' }).code).toBe(
      'Code must be at least 3 characters',
    );
  });
});
