import { useRef, useState } from 'react';
import type { CredentialSummary } from '../../../shared/credentials';
import { invoke } from '../../api/client';
import { messageOf } from '../../api/ipc-error';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';

interface Props {
  credential: CredentialSummary;
  onDeleted: (credential: CredentialSummary) => void;
  onClose: () => void;
}

/** Delete asks first, naming the credential; Cancel has the focus, so Enter keeps it. */
export function DeleteCredentialDialog({ credential, onDeleted, onClose }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Once deleted, the row (and the button that opened this) goes away: focus the heading instead.
  const deleted = useRef(false);

  const remove = async () => {
    setBusy(true);
    try {
      await invoke('credentials:delete', { id: credential.id });
      deleted.current = true;
      onDeleted(credential);
    } catch (caught) {
      setError(messageOf(caught));
      setBusy(false);
    }
  };

  return (
    <Dialog
      role="alertdialog"
      title={`Delete “${credential.name}”?`}
      description="The credential and its stored secrets are removed from the vault, and agents can no longer use it. This cannot be undone."
      onClose={onClose}
      focusOnClose={() => (deleted.current ? document.querySelector('h1') : null)}
    >
      {error && <Alert>{error}</Alert>}
      <div className="actions">
        <Button onClick={onClose} autoFocus>
          Cancel
        </Button>
        <Button variant="danger" onClick={() => void remove()} disabled={busy} aria-busy={busy}>
          {busy ? 'Deleting…' : 'Delete'}
        </Button>
      </div>
    </Dialog>
  );
}
