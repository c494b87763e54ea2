import { useId } from 'react';

interface Props {
  label: string;
  /** The first option, which filters nothing: "All tools". */
  allLabel: string;
  value: string;
  options: readonly { value: string; label: string }[];
  onChange: (value: string) => void;
}

/** One labelled pick-list in a filter bar; the empty value means "all". */
export function FilterSelect({ label, allLabel, value, options, onChange }: Props) {
  const id = useId();
  return (
    <div className="filter">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <select
        id={id}
        className="input select"
        value={value}
        onChange={(event) => onChange(event.target.value)}
      >
        <option value="">{allLabel}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
