import { useState } from 'react';
import { invoke } from '../../api/client';
import { windowMessageOf } from '../../../shared/error-boundaries';
import { isCustodianError } from '../../../shared/errors';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { ScreenHeading } from '../../ui/ScreenHeading';
import { RecoveryPassphraseStep } from './RecoveryPassphraseStep';

interface Props {
  /** Called before the vault is created, so the app keeps this screen once it unlocks. */
  onBegin: () => void;
  /** The person has saved the passphrase (or the vault already existed). */
  onFinish: () => void;
}

interface Created {
  recoveryPassphrase: string;
  keychain: 'enrolled' | 'unavailable';
}

/** First run: explain, create the vault, then show the recovery passphrase once. */
export function SetupScreen({ onBegin, onFinish }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [vaultExists, setVaultExists] = useState(false);
  // Held only until the person continues; then this screen unmounts and it is gone.
  const [created, setCreated] = useState<Created | null>(null);

  const create = async () => {
    onBegin();
    setBusy(true);
    setError(null);
    try {
      const { recoveryPassphrase, keychain } = await invoke('vault:create', {});
      setCreated({ recoveryPassphrase, keychain });
    } catch (caught) {
      setError(windowMessageOf(caught));
      setVaultExists(isCustodianError(caught, 'vault_exists'));
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    return (
      <RecoveryPassphraseStep
        passphrase={created.recoveryPassphrase}
        keychain={created.keychain}
        onContinue={onFinish}
      />
    );
  }

  return (
    <main className="screen screen-centered">
      <section className="card stack">
        <ScreenHeading>Welcome to Custodian</ScreenHeading>
        <p>
          Custodian keeps your API keys, passwords and other secrets encrypted on this computer. AI
          agents use them through tools you control, without ever seeing them.
        </p>
        <p>
          Creating a vault stores its key in your system keychain, so Custodian can unlock without a
          password. You also get a recovery passphrase: it is shown only once, and it is the only
          way back in if the keychain entry is ever lost.
        </p>
        {error && <Alert>{error}</Alert>}
        <div className="actions">
          {vaultExists ? (
            <Button variant="primary" onClick={onFinish}>
              Go to unlock
            </Button>
          ) : (
            <Button
              variant="primary"
              onClick={() => void create()}
              disabled={busy}
              aria-busy={busy}
            >
              {busy ? 'Creating vault…' : 'Create vault'}
            </Button>
          )}
        </div>
      </section>
    </main>
  );
}
