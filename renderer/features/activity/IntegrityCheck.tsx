import { useState } from 'react';
import type { AuditVerifyInfo } from '../../../shared/agents';
import { invoke } from '../../api/client';
import { windowMessageOf } from '../../../shared/error-boundaries';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';

function entriesWord(count: number): string {
  return count === 1 ? '1 entry' : `${count} entries`;
}

/**
 * Checks the log on demand, with the same verdicts as `custodian audit verify`.
 * Each entry is sealed with a key kept in the vault over the one before it,
 * and the vault anchors the newest: an edited, removed, reordered, cut or
 * forged part is named, and so is a file gone without the log saying it
 * dropped it. Rotation by Custodian itself is said to be on purpose.
 */
export function IntegrityCheck() {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<AuditVerifyInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  const check = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await invoke('audit:verify', {}));
    } catch (caught) {
      setResult(null);
      setError(windowMessageOf(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="stack stack-tight integrity">
      <div>
        <Button onClick={() => void check()} disabled={busy} aria-busy={busy}>
          {busy ? 'Checking…' : 'Check integrity'}
        </Button>
      </div>
      {error && <Alert>{error}</Alert>}
      {result?.ok === true && (
        <Alert tone="info">
          {result.entries === 0 ? (
            'The log is empty: nothing to check yet.'
          ) : (
            <>
              <strong>{entriesWord(result.entries)}, chain intact.</strong> No entry was changed,
              removed or reordered, and the newest is the one the vault anchored.
            </>
          )}
          {result.headMissing && (
            <>
              {' '}
              Older entries were rotated away on purpose (the log names each file it dropped), so
              the check starts
              {result.firstSeq !== null ? ` at entry ${result.firstSeq}` : ' at the oldest kept'}.
            </>
          )}
        </Alert>
      )}
      {result?.ok === false && (
        <Alert>
          <strong>The log was tampered with or damaged.</strong> {result.message}
        </Alert>
      )}
    </div>
  );
}
