import { useState } from 'react';
import type { VaultStatus } from '../../shared/vault-status';
import { invoke } from '../api/client';
import { messageOf } from '../api/ipc-error';
import { CredentialsPanel } from '../features/credentials/CredentialsPanel';
import { SettingsDialog } from '../features/settings/SettingsDialog';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';

interface Props {
  status: VaultStatus;
  onStatus: (status: VaultStatus) => void;
}

/** The unlocked app: a top bar with Settings and Lock, and the credentials. */
export function VaultScreen({ status, onStatus }: Props) {
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [lockError, setLockError] = useState<string | null>(null);

  const lock = async () => {
    try {
      onStatus(await invoke('vault:lock', {}));
    } catch (caught) {
      setLockError(messageOf(caught));
    }
  };

  return (
    <div className="app-shell">
      <header className="topbar">
        <span className="brand">Custodian</span>
        <nav className="topbar-actions" aria-label="Vault">
          <Button onClick={() => setSettingsOpen(true)}>Settings</Button>
          <Button onClick={() => void lock()}>Lock</Button>
        </nav>
      </header>
      <main className="screen">
        {lockError && <Alert>{lockError}</Alert>}
        {status.keychain === 'unavailable' && (
          <Alert tone="warning">
            The system keychain could not be reached, so Custodian cannot unlock by itself. Keep
            your recovery passphrase at hand: you will need it to unlock next time.
          </Alert>
        )}
        <CredentialsPanel />
      </main>
      {settingsOpen && (
        <SettingsDialog
          autoLockMinutes={status.autoLockMinutes}
          onClose={() => setSettingsOpen(false)}
        />
      )}
    </div>
  );
}
