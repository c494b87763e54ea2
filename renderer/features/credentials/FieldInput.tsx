import type { FieldDefinition, FieldValue } from '../../../shared/fields';
import { FormField } from '../../ui/FormField';
import { SecretInput } from '../../ui/SecretInput';

/** What an import_only field says: the plugin's import reads it once, the vault never holds it. */
export const IMPORT_ONLY_NOTE = 'Used once to import the key; not kept.';

interface Props {
  field: FieldDefinition;
  value: FieldValue;
  onChange: (value: FieldValue) => void;
  error?: string;
  /** The credential already holds a value for this secret field (edit only). */
  stored: boolean;
}

/**
 * One input built from a field definition: its type picks the control. No
 * maxLength: a pasted key cut short without a word would be stored broken, so
 * lengths are checked and reported like every other rule.
 */
export function FieldInput({ field, value, onChange, error, stored }: Props) {
  const text = typeof value === 'string' ? value : '';
  const keepsStored = field.secret && stored && !field.import_only;
  // A stored secret is never shown; the input stays empty and says so until the person types.
  // An import_only one is never stored at all: the person is told before typing it.
  const note = field.import_only
    ? IMPORT_ONLY_NOTE
    : keepsStored
      ? text === ''
        ? 'Stored value unchanged. Type a new value to replace it.'
        : 'The stored value will be replaced when you save.'
      : undefined;
  const placeholder = keepsStored ? 'Unchanged' : field.placeholder;

  return (
    <FormField
      label={field.label}
      required={field.required && field.type !== 'checkbox'}
      help={field.help_text}
      note={note}
      error={error}
      inline={field.type === 'checkbox'}
    >
      {(control) => {
        const common = { ...control, 'data-field': field.name };
        if (field.type === 'checkbox') {
          return (
            <input
              {...common}
              type="checkbox"
              className="checkbox"
              checked={value === true}
              onChange={(event) => onChange(event.target.checked)}
            />
          );
        }
        if (field.secret || field.type === 'password') {
          return (
            <SecretInput
              {...common}
              label={field.label}
              value={text}
              onChange={onChange}
              placeholder={placeholder}
              multiline={field.type === 'textarea'}
            />
          );
        }
        if (field.type === 'select') {
          return (
            <select
              {...common}
              className="input select"
              value={text}
              onChange={(event) => onChange(event.target.value)}
            >
              {/* An empty choice lets an optional select stay unset, and a required one start unset. */}
              {(!field.required || field.default === undefined) && (
                <option value="">Choose…</option>
              )}
              {field.options?.map((option) => (
                <option key={option} value={option}>
                  {option}
                </option>
              ))}
            </select>
          );
        }
        if (field.type === 'textarea') {
          return (
            <textarea
              {...common}
              className="input textarea"
              rows={4}
              value={text}
              placeholder={placeholder}
              spellCheck={false}
              onChange={(event) => onChange(event.target.value)}
            />
          );
        }
        return (
          <input
            {...common}
            type="text"
            className="input"
            value={text}
            placeholder={placeholder}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => onChange(event.target.value)}
          />
        );
      }}
    </FormField>
  );
}
