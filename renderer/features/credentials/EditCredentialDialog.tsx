import { useMemo, useState } from 'react';
import type { CredentialSummary, SavedCredential } from '../../../shared/credentials';
import type { CredentialTypeInfo } from '../../../shared/fields';
import { invoke } from '../../api/client';
import { useQuery } from '../../api/use-query';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { CredentialForm } from './CredentialForm';
import { hasInspection } from './describe-inspection';
import { InspectionView, SAVED_DESCRIPTION, SavedTitle } from './InspectionView';
import { editFormState, toUpdateRequest } from './form-model';

interface Props {
  credential: CredentialSummary;
  types: readonly CredentialTypeInfo[];
  /** The changes are stored; the dialog closes itself, or first shows what its plugin found. */
  onSaved: (credential: SavedCredential) => void;
  onClose: () => void;
}

/**
 * Edit: main sends the non-secret values and only the *names* of the secret
 * fields that hold a value; those inputs read "unchanged" until replaced.
 * When the type's plugin checked the changed fields, what it found is shown until Done.
 */
export function EditCredentialDialog({ credential, types, onSaved, onClose }: Props) {
  const { data: detail, error } = useQuery('credentials:get', { id: credential.id });
  const [saved, setSaved] = useState<SavedCredential | null>(null);
  const type = types.find((t) => t.name === credential.type);
  // An import_only field is never stored, yet need not be typed again unless
  // a secret changes (then the import asks for it): it counts as kept here.
  const storedSecrets = useMemo(
    () =>
      new Set([
        ...(detail?.storedSecrets ?? []),
        ...(type?.fields.filter((f) => f.import_only).map((f) => f.name) ?? []),
      ]),
    [detail, type],
  );

  const problem =
    error ??
    (type
      ? null
      : `The type “${credential.type}” of this credential is not available: the plugin that defines it is turned off, could not be loaded, or is not installed. The credential stays in the vault; turn the plugin on or install it again to edit it.`);

  return (
    <Dialog
      title={saved ? <SavedTitle name={saved.name} /> : `Edit “${credential.name}”`}
      description={saved ? SAVED_DESCRIPTION : (type?.display_name ?? credential.type)}
      onClose={onClose}
      size="large"
    >
      {saved ? (
        <InspectionView inspection={saved.inspection} onDone={onClose} />
      ) : problem ? (
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
          onSubmit={async (state) => {
            const result = await invoke('credentials:update', toUpdateRequest(type, detail, state));
            onSaved(result);
            if (hasInspection(result.inspection)) setSaved(result);
            else onClose();
          }}
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
