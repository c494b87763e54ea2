import type { ReactNode } from 'react';

interface Props {
  checked: boolean;
  onChange: (checked: boolean) => void;
  /** The visible label, after the switch. */
  children: ReactNode;
  disabled?: boolean;
  busy?: boolean;
}

/**
 * An on/off switch: a real checkbox with role="switch", so Space toggles it,
 * screen readers say "on" or "off", and the focus ring sits on the control.
 */
export function Switch({ checked, onChange, children, disabled, busy }: Props) {
  return (
    <label className="switch">
      <input
        type="checkbox"
        role="switch"
        className="switch-control"
        checked={checked}
        disabled={disabled}
        aria-busy={busy || undefined}
        onChange={(event) => onChange(event.target.checked)}
      />
      <span className="switch-label">{children}</span>
    </label>
  );
}
