import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { CredentialTypeInfo, FieldValue } from '../../../shared/fields';
import { windowMessageOf } from '../../../shared/error-boundaries';
import { isCustodianError } from '../../../shared/errors';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { FormField } from '../../ui/FormField';
import { FieldInput } from './FieldInput';
import {
  hasErrors,
  serverErrors,
  validateForm,
  type CredentialFormState,
  type FormErrors,
} from './form-model';

interface Props {
  type: CredentialTypeInfo;
  initial: CredentialFormState;
  /** Secret fields that already hold a value (edit); empty on add. */
  storedSecrets: ReadonlySet<string>;
  submitLabel: string;
  /** Sends the form to main; an CustodianError it throws is shown next to the inputs. */
  onSubmit: (state: CredentialFormState) => Promise<void>;
  onCancel: () => void;
  /** Add only: back to the type picker. */
  onBack?: () => void;
}

const NO_ERRORS: FormErrors = { fields: {} };

/**
 * The form for one credential, built only from its type's field definitions:
 * name and description, then one input per field. Rules are checked here for
 * inline errors, and again by main, whose answers land on the same inputs.
 */
export function CredentialForm(props: Props) {
  const { type, initial, storedSecrets, submitLabel, onSubmit, onCancel, onBack } = props;
  const [state, setState] = useState(initial);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);

  // After a refused submit, focus the first input with an error so it is read out.
  useEffect(() => {
    if (attempt === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt]);

  const setValue = (name: string, value: FieldValue) => {
    setState((now) => ({ ...now, values: { ...now.values, [name]: value } }));
    setErrors((now) => {
      if (!(name in now.fields)) return now;
      const fields = Object.fromEntries(Object.entries(now.fields).filter(([key]) => key !== name));
      return { ...now, fields };
    });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const found = validateForm(type, state, storedSecrets);
    if (hasErrors(found)) {
      setErrors(found);
      setAttempt((n) => n + 1);
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await onSubmit(state);
    } catch (caught) {
      setErrors(
        isCustodianError(caught)
          ? serverErrors(type, caught)
          : { fields: {}, form: windowMessageOf(caught) },
      );
      setAttempt((n) => n + 1);
      setBusy(false);
    }
  };

  return (
    <form ref={formRef} className="stack" onSubmit={(event) => void submit(event)} noValidate>
      <p className="muted small">
        Fields marked <span aria-hidden="true">*</span>
        <span className="visually-hidden">with an asterisk</span> are required.
      </p>
      <FormField
        label="Name"
        required
        error={errors.name}
        help="How you and your agents refer to it."
      >
        {(control) => (
          <input
            {...control}
            type="text"
            className="input"
            value={state.name}
            autoComplete="off"
            autoFocus
            onChange={(event) => {
              const name = event.target.value;
              setState((now) => ({ ...now, name }));
              setErrors((now) => ({ ...now, name: undefined }));
            }}
          />
        )}
      </FormField>
      <FormField label="Description" error={errors.description}>
        {(control) => (
          <textarea
            {...control}
            className="input textarea textarea-prose"
            rows={2}
            value={state.description}
            onChange={(event) => {
              const description = event.target.value;
              setState((now) => ({ ...now, description }));
              setErrors((now) => ({ ...now, description: undefined }));
            }}
          />
        )}
      </FormField>
      {type.fields.map((field) => (
        <FieldInput
          key={field.name}
          field={field}
          value={state.values[field.name] ?? ''}
          onChange={(value) => setValue(field.name, value)}
          error={errors.fields[field.name]}
          stored={storedSecrets.has(field.name)}
        />
      ))}
      {errors.form && <Alert>{errors.form}</Alert>}
      <div className="actions actions-split">
        {onBack ? (
          <Button variant="link" onClick={onBack}>
            Choose another type
          </Button>
        ) : (
          <span />
        )}
        <div className="actions">
          <Button onClick={onCancel}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy} aria-busy={busy}>
            {busy ? 'Saving…' : submitLabel}
          </Button>
        </div>
      </div>
    </form>
  );
}
