import { useState } from 'react';
import type { AgentConnectionInfo, ConnectResultInfo } from '../../../shared/agents';
import { invoke } from '../../api/client';
import { windowMessageOf } from '../../../shared/error-boundaries';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';

type ClaudeState = AgentConnectionInfo['claude']['state'];

interface Props {
  claude: AgentConnectionInfo['claude'];
  /** Read the connection again after a change. */
  onChanged: () => void;
}

const STATE_LABEL: Record<ClaudeState, string> = {
  connected: 'Connected',
  outdated: 'Needs an update',
  'not-connected': 'Not connected',
  unavailable: 'Not available',
  unreadable: 'Config not readable',
};

const STATE_BADGE: Record<ClaudeState, string> = {
  connected: 'badge-ok',
  outdated: 'badge-warn',
  'not-connected': 'badge-off',
  unavailable: 'badge-off',
  unreadable: 'status-error',
};

const STATE_TEXT: Record<ClaudeState, string> = {
  connected: 'Claude Desktop starts Custodian’s tools for its conversations.',
  outdated:
    'Claude Desktop lists Custodian, but with an older command (the app moved or was updated). Connect again to fix it.',
  'not-connected': 'Claude Desktop does not know about Custodian yet.',
  unavailable: 'Custodian could not find Claude Desktop on this computer.',
  unreadable: 'Claude Desktop’s configuration file could not be read.',
};

const RESULT_TEXT: Record<ConnectResultInfo['status'], string> = {
  connected: 'Connected.',
  updated: 'Updated.',
  'already-connected': 'Already connected: nothing to change.',
};

/**
 * Two ways into Claude Desktop: "Connect" adds Custodian to its
 * claude_desktop_config.json (the core keeps every other setting and server,
 * backs up the previous file, and refuses a file it cannot understand without
 * touching it); "Install in Claude Desktop (.mcpb)" saves Custodian's MCP
 * Bundle where the person chooses in main's save dialog, to open in Claude
 * Desktop.
 */
export function ClaudeConnection({ claude, onChanged }: Props) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ConnectResultInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);

  const saveBundle = async () => {
    setSaving(true);
    setSaveError(null);
    setSaved(null);
    try {
      setSaved((await invoke('agents:saveClaudeBundle', {})).path);
    } catch (caught) {
      setSaveError(windowMessageOf(caught));
    } finally {
      setSaving(false);
    }
  };

  const connect = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await invoke('agents:connectClaude', {}));
    } catch (caught) {
      setError(windowMessageOf(caught));
    } finally {
      setBusy(false);
      onChanged();
    }
  };

  return (
    <div className="stack stack-tight">
      <p className="connection-state">
        <span className={`badge ${STATE_BADGE[claude.state]}`}>{STATE_LABEL[claude.state]}</span>{' '}
        {STATE_TEXT[claude.state]}
      </p>
      {/* After a refused Connect, its error says the same thing: show it once. */}
      {claude.message && !error && (
        <Alert tone={claude.state === 'unreadable' ? 'warning' : 'info'}>{claude.message}</Alert>
      )}
      {claude.path && (
        <p className="small">
          Configuration file: <code className="code">{claude.path}</code>
        </p>
      )}
      <div className="actions actions-start">
        <Button
          variant={claude.state === 'connected' ? 'secondary' : 'primary'}
          onClick={() => void connect()}
          disabled={busy || claude.state === 'unavailable'}
          aria-busy={busy}
        >
          {busy ? 'Connecting…' : 'Connect to Claude Desktop'}
        </Button>
        <Button
          variant="secondary"
          onClick={() => void saveBundle()}
          disabled={saving}
          aria-busy={saving}
        >
          {saving ? 'Saving…' : 'Install in Claude Desktop (.mcpb)'}
        </Button>
      </div>
      <p className="small">
        Or save Custodian as an MCP Bundle and open the file: Claude Desktop installs it with one
        click, on this computer or another where Custodian runs.
      </p>
      {saveError && <Alert>{saveError}</Alert>}
      {saved && (
        <Alert tone="info">
          <strong>Saved.</strong> <code className="code">{saved}</code>: open it to install
          Custodian in Claude Desktop.
        </Alert>
      )}
      {error && <Alert>{error}</Alert>}
      {result && (
        <Alert tone="info">
          <strong>{RESULT_TEXT[result.status]}</strong>{' '}
          {result.status === 'already-connected' ? 'Checked' : 'Wrote'}{' '}
          <code className="code">{result.path}</code>.
          {result.backup && (
            <>
              {' '}
              The previous file was kept as <code className="code">{result.backup}</code>.
            </>
          )}
          {result.status !== 'already-connected' &&
            ' Quit and reopen Claude Desktop so it picks up the change.'}
        </Alert>
      )}
    </div>
  );
}
