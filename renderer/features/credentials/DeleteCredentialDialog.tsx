import type { CredentialSummary } from '../../../shared/credentials';
import { invoke } from '../../api/client';
import { ConfirmDialog } from '../../ui/ConfirmDialog';

interface Props {
  credential: CredentialSummary;
  onDeleted: (credential: CredentialSummary) => void;
  onClose: () => void;
}

/** Delete asks first, naming the credential. */
export function DeleteCredentialDialog({ credential, onDeleted, onClose }: Props) {
  return (
    <ConfirmDialog
      title={`Delete “${credential.name}”?`}
      description="The credential and its stored secrets are removed from the vault, and agents can no longer use it. This cannot be undone."
      confirmLabel="Delete"
      busyLabel="Deleting…"
      action={async () => {
        await invoke('credentials:delete', { id: credential.id });
      }}
      onDone={() => onDeleted(credential)}
      onClose={onClose}
    />
  );
}
