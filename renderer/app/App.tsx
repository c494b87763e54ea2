import { useState } from 'react';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { SetupScreen } from '../features/setup/SetupScreen';
import { LockScreen } from '../features/unlock/LockScreen';
import { VaultScreen } from './VaultScreen';
import { useVaultStatus } from './use-vault-status';

/** Picks the screen from the vault's state: first run, locked, or unlocked. */
export function App() {
  const { status, setStatus, error, refresh } = useVaultStatus();
  // Creating the vault unlocks it, but the person must see the recovery
  // passphrase before the credentials screen: setup stays until they continue.
  const [inSetup, setInSetup] = useState(false);

  if (!status) {
    return (
      <main className="screen screen-centered">
        {error ? (
          <div className="card stack">
            <Alert>{error}</Alert>
            <Button variant="primary" onClick={() => void refresh()}>
              Try again
            </Button>
          </div>
        ) : (
          <p className="muted" role="status">
            Opening Custodian…
          </p>
        )}
      </main>
    );
  }
  // The data folder or the agents' socket went away while Custodian ran: said above any screen.
  const problem = status.problem ? <Alert tone="warning">{status.problem}</Alert> : null;
  let screen;
  if (status.state === 'absent' || inSetup) {
    screen = <SetupScreen onBegin={() => setInSetup(true)} onFinish={() => setInSetup(false)} />;
  } else if (status.state === 'locked') {
    screen = <LockScreen keychain={status.keychain} onUnlocked={setStatus} />;
  } else {
    screen = <VaultScreen status={status} onStatus={setStatus} />;
  }
  return (
    <>
      {problem}
      {screen}
    </>
  );
}
