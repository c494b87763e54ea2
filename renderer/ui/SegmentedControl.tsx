import { useId } from 'react';

export interface Segment<V extends string> {
  value: V;
  label: string;
}

interface Props<V extends string> {
  /** The group's accessible name, e.g. "Mode of http_request". */
  label: string;
  value: V;
  options: readonly Segment<V>[];
  onChange: (value: V) => void;
}

/**
 * A row of mutually exclusive choices drawn as joined buttons. Underneath it is
 * a radio group of native radios sharing a name, so Tab enters it once, the
 * arrow keys move the choice, and screen readers say "radio, 2 of 3, checked".
 * It is never disabled while a change is on its way: a disabled radio drops the
 * focus, which would throw a keyboard user out of the group mid-choice.
 */
export function SegmentedControl<V extends string>({ label, value, options, onChange }: Props<V>) {
  const name = useId();
  return (
    <div className="segmented" role="radiogroup" aria-label={label}>
      {options.map((option) => (
        <label key={option.value} className="segment">
          <input
            type="radio"
            className="segment-input"
            name={name}
            value={option.value}
            checked={option.value === value}
            onChange={() => onChange(option.value)}
          />
          <span className="segment-label">{option.label}</span>
        </label>
      ))}
    </div>
  );
}
