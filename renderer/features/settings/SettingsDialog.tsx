import { useState, type FormEvent } from 'react';
import { invoke } from '../../api/client';
import { windowMessageOf } from '../../../shared/error-boundaries';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { FormField } from '../../ui/FormField';

/** The same bounds as the settings schema in shared/vault-status.ts: up to a day. */
const MAX_MINUTES = 24 * 60;

interface Props {
  autoLockMinutes: number;
  onClose: () => void;
}

/** Settings: how long Custodian waits, idle, before it locks itself. */
export function SettingsDialog({ autoLockMinutes, onClose }: Props) {
  const [minutes, setMinutes] = useState(String(autoLockMinutes));
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = Number(minutes.trim());
    if (minutes.trim() === '' || !Number.isInteger(value) || value < 0 || value > MAX_MINUTES) {
      setFieldError(`Enter a whole number of minutes from 0 to ${MAX_MINUTES}`);
      return;
    }
    setBusy(true);
    try {
      // Main answers with vault:changed too, which updates the status the app shows.
      await invoke('settings:update', { autoLockMinutes: value });
      onClose();
    } catch (caught) {
      setFormError(windowMessageOf(caught));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Settings"
      description="Custodian locks itself when you are away, and when the computer sleeps or its screen locks."
      onClose={onClose}
    >
      <form className="stack" onSubmit={(event) => void submit(event)} noValidate>
        <FormField
          label="Lock after inactivity (minutes)"
          help="0 turns locking after inactivity off."
          error={fieldError}
        >
          {(control) => (
            <input
              {...control}
              type="number"
              inputMode="numeric"
              min={0}
              max={MAX_MINUTES}
              step={1}
              className="input input-short"
              value={minutes}
              onChange={(event) => {
                setMinutes(event.target.value);
                setFieldError(undefined);
              }}
            />
          )}
        </FormField>
        {formError && <Alert>{formError}</Alert>}
        <div className="actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy} aria-busy={busy}>
            Save
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
