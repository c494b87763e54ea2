import { useState } from 'react';
import type { ControlProps } from './FormField';

interface Props extends ControlProps {
  /** The field's label, to name the Show/Hide button for screen readers. */
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  multiline?: boolean;
  autoFocus?: boolean;
  maxLength?: number;
}

/**
 * A masked input with a Show/Hide toggle. It can only ever show what the
 * person typed here: stored secret values never reach the renderer.
 * Multi-line secrets (PGP keys, notes) are masked with CSS, since a textarea
 * has no password type.
 */
export function SecretInput({ label, value, onChange, multiline, ...control }: Props) {
  const [shown, setShown] = useState(false);
  // No spell checking, autocomplete or autocorrect: those may keep or send what is typed.
  const common = {
    ...control,
    value,
    spellCheck: false,
    autoComplete: 'off',
    autoCorrect: 'off',
    autoCapitalize: 'off',
  } as const;
  return (
    <div className="secret-input">
      {multiline ? (
        <textarea
          {...common}
          rows={5}
          className={`input textarea${shown ? '' : ' masked'}`}
          onChange={(event) => onChange(event.target.value)}
        />
      ) : (
        <input
          {...common}
          type={shown ? 'text' : 'password'}
          className="input"
          onChange={(event) => onChange(event.target.value)}
        />
      )}
      <button
        type="button"
        className="button button-quiet secret-toggle"
        aria-controls={control.id}
        aria-pressed={shown}
        aria-label={`${shown ? 'Hide' : 'Show'} ${label}`}
        onClick={() => setShown((now) => !now)}
      >
        {shown ? 'Hide' : 'Show'}
      </button>
    </div>
  );
}
