import { useState, type FormEvent } from 'react';
import type { VaultStatus } from '../../../shared/vault-status';
import { invoke } from '../../api/client';
import { windowMessageOf } from '../../../shared/error-boundaries';
import { isCustodianError } from '../../../shared/errors';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { FormField } from '../../ui/FormField';
import { SecretInput } from '../../ui/SecretInput';

interface Props {
  onUnlocked: (status: VaultStatus) => void;
  onCancel: () => void;
}

/** Unlocks with the recovery passphrase; a wrong one is an inline error on the field. */
export function RecoveryForm({ onUnlocked, onCancel }: Props) {
  const [passphrase, setPassphrase] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!passphrase.trim()) {
      setFieldError('Enter your recovery passphrase');
      return;
    }
    setBusy(true);
    setFieldError(undefined);
    setFormError(null);
    try {
      const { status } = await invoke('vault:recover', { passphrase });
      onUnlocked(status);
    } catch (caught) {
      if (isCustodianError(caught, 'wrong_passphrase')) setFieldError(caught.message);
      else setFormError(windowMessageOf(caught));
      setBusy(false);
    }
  };

  return (
    <form className="stack" onSubmit={(event) => void submit(event)} noValidate>
      <FormField
        label="Recovery passphrase"
        required
        help="Six groups of five letters and digits. Dashes, spaces and case do not matter."
        error={fieldError}
      >
        {(control) => (
          <SecretInput
            {...control}
            label="Recovery passphrase"
            value={passphrase}
            onChange={(value) => {
              setPassphrase(value);
              setFieldError(undefined);
            }}
            maxLength={1000}
            autoFocus
          />
        )}
      </FormField>
      {formError && <Alert>{formError}</Alert>}
      <div className="actions actions-start">
        <Button type="submit" variant="primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Unlocking…' : 'Unlock with passphrase'}
        </Button>
        <Button variant="link" onClick={onCancel}>
          Unlock with the system keychain
        </Button>
      </div>
    </form>
  );
}
