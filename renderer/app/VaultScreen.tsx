import { useState, type ComponentType } from 'react';
import type { VaultStatus } from '../../shared/vault-status';
import { invoke } from '../api/client';
import { windowMessageOf } from '../../shared/error-boundaries';
import { ActivityPanel } from '../features/activity/ActivityPanel';
import { AgentsPanel } from '../features/agents/AgentsPanel';
import { ApprovalHost } from '../features/approvals/ApprovalHost';
import { CredentialsPanel } from '../features/credentials/CredentialsPanel';
import { PluginsPanel } from '../features/plugins/PluginsPanel';
import { SettingsDialog } from '../features/settings/SettingsDialog';
import { StorePanel } from '../features/store/StorePanel';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';

interface Props {
  status: VaultStatus;
  onStatus: (status: VaultStatus) => void;
}

type View = 'credentials' | 'plugins' | 'store' | 'agents' | 'activity';

const VIEWS: readonly { view: View; label: string }[] = [
  { view: 'credentials', label: 'Credentials' },
  { view: 'plugins', label: 'Plugins' },
  { view: 'store', label: 'Store' },
  { view: 'agents', label: 'Agents' },
  { view: 'activity', label: 'Activity' },
];

const PANELS: Record<View, ComponentType> = {
  credentials: CredentialsPanel,
  plugins: PluginsPanel,
  store: StorePanel,
  agents: AgentsPanel,
  activity: ActivityPanel,
};

/**
 * The unlocked app: a top bar to switch views, Settings and Lock; then the
 * view. Agents' approval requests appear over whichever view is open.
 */
export function VaultScreen({ status, onStatus }: Props) {
  const [view, setView] = useState<View>('credentials');
  const Panel = PANELS[view];
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [lockError, setLockError] = useState<string | null>(null);

  const lock = async () => {
    try {
      onStatus(await invoke('vault:lock', {}));
    } catch (caught) {
      setLockError(windowMessageOf(caught));
    }
  };

  return (
    <div className="app-shell">
      <header className="topbar">
        <span className="brand">Custodian</span>
        <nav className="topbar-nav" aria-label="Sections">
          {VIEWS.map((item) => (
            <Button
              key={item.view}
              variant="quiet"
              className="nav-item"
              aria-current={view === item.view ? 'page' : undefined}
              onClick={() => setView(item.view)}
            >
              {item.label}
            </Button>
          ))}
        </nav>
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
        <Panel />
      </main>
      {settingsOpen && (
        <SettingsDialog
          autoLockMinutes={status.autoLockMinutes}
          onClose={() => setSettingsOpen(false)}
        />
      )}
      <ApprovalHost />
    </div>
  );
}
