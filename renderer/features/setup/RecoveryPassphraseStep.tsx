import { useId, useState } from 'react';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { ScreenHeading } from '../../ui/ScreenHeading';
import { CopyButton } from '../../ui/CopyButton';

interface Props {
  passphrase: string;
  keychain: 'enrolled' | 'unavailable';
  onContinue: () => void;
}

/** Shows the recovery passphrase once; Continue waits until the person says they saved it. */
export function RecoveryPassphraseStep({ passphrase, keychain, onContinue }: Props) {
  const [saved, setSaved] = useState(false);
  const passphraseId = useId();
  const checkboxId = useId();

  return (
    <main className="screen screen-centered">
      <section className="card stack">
        <ScreenHeading>Save your recovery passphrase</ScreenHeading>
        <p>
          Write it down or keep it in another password manager. Custodian does not store it and
          cannot show it again.
        </p>
        <div className="passphrase-box">
          <code id={passphraseId} className="passphrase" data-testid="recovery-passphrase">
            {passphrase}
          </code>
          <CopyButton
            text={passphrase}
            targetId={passphraseId}
            what="the passphrase"
            manualHint="or write it down"
          />
        </div>
        {keychain === 'unavailable' ? (
          <Alert tone="warning">
            The system keychain could not be reached, so the vault key is not stored there.
            Custodian will ask for this passphrase each time you unlock.
          </Alert>
        ) : (
          <p className="muted">
            The vault key is in your system keychain; you will need this passphrase only if that
            entry is lost.
          </p>
        )}
        <div className="checkbox-row">
          <input
            id={checkboxId}
            type="checkbox"
            className="checkbox"
            checked={saved}
            onChange={(event) => setSaved(event.target.checked)}
          />
          <label htmlFor={checkboxId}>I have saved my recovery passphrase</label>
        </div>
        <div className="actions">
          <Button variant="primary" disabled={!saved} onClick={onContinue}>
            Continue
          </Button>
        </div>
      </section>
    </main>
  );
}
