import { z } from 'zod';
import { FIELD_NAME_PATTERN, FIELD_VALUE_MAX_LENGTH, RESERVED_FIELD_NAMES } from './limits';

// The field schema of Vultrino's credential_types.fields, shared by built-in
// types, plugin manifests and the forms the renderer builds from them.

export const FIELD_TYPES = ['text', 'password', 'textarea', 'select', 'checkbox'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export { FIELD_NAME_PATTERN, FIELD_VALUE_MAX_LENGTH };

export const fieldDefinitionSchema = z
  .object({
    name: z.string().regex(FIELD_NAME_PATTERN, 'must be lower_snake_case, at most 64 characters'),
    label: z.string().min(1).max(100),
    type: z.enum(FIELD_TYPES).default('text'),
    required: z.boolean().default(false),
    secret: z.boolean().default(false),
    placeholder: z.string().max(200).optional(),
    help_text: z.string().max(500).optional(),
    default: z.union([z.string().max(FIELD_VALUE_MAX_LENGTH), z.boolean()]).optional(),
    options: z.array(z.string().min(1).max(200)).min(1).max(100).optional(),
    validation_pattern: z.string().max(500).optional(),
    validation_message: z.string().max(200).optional(),
    /** Enforced on save; for a secret field the refusal says a shorter secret is easy to guess. */
    min_length: z.number().int().min(0).max(FIELD_VALUE_MAX_LENGTH).optional(),
    max_length: z.number().int().min(1).max(FIELD_VALUE_MAX_LENGTH).optional(),
    /**
     * Custodian's addition: the value is sent in an HTTP header (http_request
     * injects it, or a plugin puts it in custodian_http's headers), so a value
     * holding a character a header cannot carry (RFC 9110) is refused on save,
     * not at its first use.
     */
    http_header: z.boolean().optional(),
    /**
     * Custodian's addition, for secret fields of a type with an import entry:
     * the value is given to the import once and never stored (a key's
     * passphrase, once the key is imported). The form says so.
     */
    import_only: z.boolean().optional(),
  })
  .strict()
  .superRefine((field, ctx) => {
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    if (field.import_only && !field.secret)
      issue('import_only', 'only a secret field can be import_only');
    if ((RESERVED_FIELD_NAMES as readonly string[]).includes(field.name))
      issue('name', `"${field.name}" is reserved for the credential itself`);
    if (field.type === 'select' && !field.options) issue('options', 'a select field needs options');
    if (field.type !== 'select' && field.options)
      issue('options', 'only a select field has options');
    if (field.type === 'checkbox' && field.secret) issue('secret', 'a checkbox cannot be secret');
    if (
      field.type === 'checkbox' &&
      field.default !== undefined &&
      typeof field.default !== 'boolean'
    )
      issue('default', 'a checkbox default must be true or false');
    if (field.type !== 'checkbox' && typeof field.default === 'boolean')
      issue('default', 'only a checkbox default may be true or false');
    if (
      field.type === 'select' &&
      typeof field.default === 'string' &&
      !field.options?.includes(field.default)
    )
      issue('default', 'the default must be one of the options');
    if (
      field.min_length !== undefined &&
      field.max_length !== undefined &&
      field.min_length > field.max_length
    )
      issue('min_length', 'min_length is larger than max_length');
    if (field.validation_pattern !== undefined) {
      try {
        new RegExp(field.validation_pattern, 'u');
      } catch {
        issue('validation_pattern', 'is not a valid regular expression');
      }
    }
  });

export type FieldDefinition = z.infer<typeof fieldDefinitionSchema>;
export type FieldValue = string | boolean;
export type FieldValues = Record<string, FieldValue>;

export const credentialTypeSchema = z
  .object({
    name: z.string().regex(FIELD_NAME_PATTERN, 'must be lower_snake_case, at most 64 characters'),
    display_name: z.string().min(1).max(100),
    description: z.string().max(1000).default(''),
    fields: z.array(fieldDefinitionSchema).min(1).max(50),
    /**
     * Custodian's addition, for plugin types: the import entry, an action
     * (without parameters beyond its defaults) run with the person present
     * when a credential is created or its secrets change. It receives the
     * values, with no network and no log; a non-zero code refuses the save
     * with the plugin's message; a success answers {info, sealed, public}:
     * `info` is shown to the person, `sealed` (key material) and `public` are
     * kept in the vault for the type's calls (see plugins/README.md).
     */
    import: z.string().regex(FIELD_NAME_PATTERN).optional(),
    /** The import entry's older spelling (its whole answer was shown, nothing kept). */
    on_save: z.string().regex(FIELD_NAME_PATTERN).optional(),
  })
  .strict()
  .superRefine((type, ctx) => {
    if (type.import !== undefined && type.on_save !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['on_save'],
        message: 'give the import entry once: "import" (on_save is its older spelling)',
      });
    if (type.import === undefined && type.on_save === undefined)
      type.fields.forEach((field, index) => {
        if (field.import_only)
          ctx.addIssue({
            code: 'custom',
            path: ['fields', index, 'import_only'],
            message: 'an import_only field needs its type to have an import entry ("import")',
          });
      });
    const seen = new Set<string>();
    type.fields.forEach((field, index) => {
      if (seen.has(field.name))
        ctx.addIssue({
          code: 'custom',
          path: ['fields', index, 'name'],
          message: `duplicate field "${field.name}"`,
        });
      seen.add(field.name);
    });
  });

export type CredentialType = z.infer<typeof credentialTypeSchema>;

/** The action that imports a credential of this type (`import`, or its older spelling `on_save`). */
export function importEntryOf(
  type: Pick<CredentialType, 'import' | 'on_save'>,
): string | undefined {
  return type.import ?? type.on_save;
}
/** A credential type as the renderer receives it, with where it came from. */
export type CredentialTypeInfo = CredentialType & { source: string };
