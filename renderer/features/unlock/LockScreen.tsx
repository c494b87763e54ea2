import { useState } from 'react';
import type { VaultStatus } from '../../../shared/vault-status';
import { invoke } from '../../api/client';
import { windowMessageOf } from '../../../shared/error-boundaries';
import { isCustodianError } from '../../../shared/errors';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { ScreenHeading } from '../../ui/ScreenHeading';
import { RecoveryForm } from './RecoveryForm';

interface Props {
  keychain: VaultStatus['keychain'];
  onUnlocked: (status: VaultStatus) => void;
}

/**
 * The locked vault. Unlock goes through the system keychain; when main says
 * the keychain has no matching key, or cannot be reached, the recovery
 * passphrase form takes over (and recovery enrols the keychain again).
 */
export function LockScreen({ keychain, onUnlocked }: Props) {
  // Main already knows the keychain has no key for this vault: skip the futile first try.
  const [mode, setMode] = useState<'keychain' | 'recovery'>(
    keychain === 'missing' ? 'recovery' : 'keychain',
  );
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const unlock = async () => {
    setBusy(true);
    setError(null);
    try {
      onUnlocked(await invoke('vault:unlock', {}));
    } catch (caught) {
      if (isCustodianError(caught, 'recovery_required', 'keychain_unavailable')) {
        setNotice(caught.message);
        setMode('recovery');
      } else {
        setError(windowMessageOf(caught));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="screen screen-centered">
      <section className="card stack">
        <ScreenHeading>Custodian is locked</ScreenHeading>
        {mode === 'keychain' ? (
          <>
            <p>Unlock with the key kept in your system keychain.</p>
            {error && <Alert>{error}</Alert>}
            <div className="actions actions-start">
              <Button
                variant="primary"
                onClick={() => void unlock()}
                disabled={busy}
                aria-busy={busy}
              >
                {busy ? 'Unlocking…' : 'Unlock'}
              </Button>
              <Button variant="link" onClick={() => setMode('recovery')}>
                Use recovery passphrase
              </Button>
            </div>
          </>
        ) : (
          <>
            {notice ? (
              <Alert tone="warning">{notice}</Alert>
            ) : keychain === 'missing' ? (
              <Alert tone="warning">
                The system keychain has no key for this vault. Enter your recovery passphrase to
                unlock it; Custodian will store a new key in the keychain.
              </Alert>
            ) : (
              <p>Enter the recovery passphrase you saved when you created the vault.</p>
            )}
            <RecoveryForm
              onUnlocked={onUnlocked}
              onCancel={() => {
                setNotice(null);
                setMode('keychain');
              }}
            />
          </>
        )}
      </section>
    </main>
  );
}
