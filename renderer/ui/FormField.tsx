import { useId, type ReactNode } from 'react';

/** What a control needs to be tied to its label, help, note and error. */
export interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
  'aria-required'?: true;
}

interface Props {
  label: string;
  required?: boolean;
  help?: string;
  /** A readout beside the control, such as "Stored value unchanged". */
  note?: string;
  error?: string;
  /** Checkboxes put their label after the control. */
  inline?: boolean;
  children: (control: ControlProps) => ReactNode;
}

/**
 * A labelled form control. The ids tie the label (htmlFor) and the help,
 * note and error texts (aria-describedby) to the control, so a screen reader
 * reads the error when the control takes focus.
 */
export function FormField({ label, required, help, note, error, inline, children }: Props) {
  const id = useId();
  const errorId = `${id}-error`;
  const noteId = `${id}-note`;
  const helpId = `${id}-help`;
  const describedBy = [error && errorId, note && noteId, help && helpId].filter(Boolean).join(' ');
  const control = children({
    id,
    'aria-describedby': describedBy || undefined,
    'aria-invalid': error ? true : undefined,
    'aria-required': required ? true : undefined,
  });
  // The marker sits beside the label, not in it, so the accessible name is the
  // label alone; aria-required on the control says "required" to screen readers.
  const labelElement = (
    <span className="field-label-row">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {required && (
        <span className="required-mark" aria-hidden="true">
          *
        </span>
      )}
    </span>
  );
  return (
    <div className={`field${inline ? ' field-inline' : ''}${error ? ' field-has-error' : ''}`}>
      {inline ? (
        <div className="field-inline-row">
          {control}
          {labelElement}
        </div>
      ) : (
        <>
          {labelElement}
          {control}
        </>
      )}
      {note && (
        <p id={noteId} className="field-note">
          {note}
        </p>
      )}
      {help && (
        <p id={helpId} className="field-help">
          {help}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
