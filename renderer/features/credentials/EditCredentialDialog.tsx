import { useEffect, useMemo, useState } from 'react';
import type { CredentialDetail, CredentialSummary } from '../../../shared/credentials';
import type { CredentialTypeInfo } from '../../../shared/fields';
import { invoke } from '../../api/client';
import { messageOf } from '../../api/ipc-error';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { CredentialForm } from './CredentialForm';
import { editFormState, toUpdateRequest } from './form-model';

interface Props {
  credential: CredentialSummary;
  types: readonly CredentialTypeInfo[];
  onSaved: (credential: CredentialSummary) => void;
  onClose: () => void;
}

/**
 * Edit: main sends the non-secret values and only the *names* of the secret
 * fields that hold a value; those inputs read "unchanged" until replaced.
 */
export function EditCredentialDialog({ credential, types, onSaved, onClose }: Props) {
  const [detail, setDetail] = useState<CredentialDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const type = types.find((t) => t.name === credential.type);
  const storedSecrets = useMemo(() => new Set(detail?.storedSecrets), [detail]);

  useEffect(() => {
    let live = true;
    invoke('credentials:get', { id: credential.id }).then(
      (loaded) => live && setDetail(loaded),
      (caught: unknown) => live && setError(messageOf(caught)),
    );
    return () => {
      live = false;
    };
  }, [credential.id]);

  const problem =
    error ??
    (type
      ? null
      : `The type “${credential.type}” of this credential is not available: the plugin that defines it is turned off, could not be loaded, or is not installed. The credential stays in the vault; turn the plugin on or install it again to edit it.`);

  return (
    <Dialog
      title={`Edit “${credential.name}”`}
      description={type?.display_name ?? credential.type}
      onClose={onClose}
      size="large"
    >
      {problem ? (
        <div className="stack">
          <Alert>{problem}</Alert>
          <div className="actions">
            <Button onClick={onClose}>Close</Button>
          </div>
        </div>
      ) : detail && type ? (
        <CredentialForm
          type={type}
          initial={editFormState(type, detail)}
          storedSecrets={storedSecrets}
          submitLabel="Save changes"
          onSubmit={async (state) =>
            onSaved(await invoke('credentials:update', toUpdateRequest(type, detail, state)))
          }
          onCancel={onClose}
        />
      ) : (
        <p className="muted" role="status">
          Loading…
        </p>
      )}
    </Dialog>
  );
}
