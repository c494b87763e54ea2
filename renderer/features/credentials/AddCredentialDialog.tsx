import { useState } from 'react';
import type { SavedCredential } from '../../../shared/credentials';
import type { CredentialTypeInfo } from '../../../shared/fields';
import { invoke } from '../../api/client';
import { Dialog } from '../../ui/Dialog';
import { CredentialForm } from './CredentialForm';
import { hasInspection } from './describe-inspection';
import { InspectionView, SAVED_DESCRIPTION, SavedTitle } from './InspectionView';
import { TypePicker } from './TypePicker';
import { newFormState, toCreateRequest } from './form-model';

interface Props {
  types: readonly CredentialTypeInfo[];
  /** The credential is stored; the dialog closes itself, or first shows what its plugin found. */
  onSaved: (credential: SavedCredential) => void;
  onClose: () => void;
}

const NOTHING_STORED: ReadonlySet<string> = new Set();

/**
 * Add: pick a type, then fill the form its fields define. When the type's
 * plugin checked the credential on save, what it found is shown until Done.
 */
export function AddCredentialDialog({ types, onSaved, onClose }: Props) {
  const [type, setType] = useState<CredentialTypeInfo | null>(null);
  const [saved, setSaved] = useState<SavedCredential | null>(null);

  return (
    <Dialog
      title={
        saved ? (
          <SavedTitle name={saved.name} />
        ) : type ? (
          `Add ${type.display_name}`
        ) : (
          'Add credential'
        )
      }
      description={
        saved ? SAVED_DESCRIPTION : type ? type.description : 'What kind of credential is it?'
      }
      onClose={onClose}
      size="large"
    >
      {saved ? (
        <InspectionView inspection={saved.inspection} onDone={onClose} />
      ) : type ? (
        <CredentialForm
          key={type.name}
          type={type}
          initial={newFormState(type)}
          storedSecrets={NOTHING_STORED}
          submitLabel="Add credential"
          onSubmit={async (state) => {
            const result = await invoke('credentials:create', toCreateRequest(type, state));
            onSaved(result);
            if (hasInspection(result.inspection)) setSaved(result);
            else onClose();
          }}
          onCancel={onClose}
          onBack={() => setType(null)}
        />
      ) : (
        <TypePicker types={types} onPick={setType} onCancel={onClose} />
      )}
    </Dialog>
  );
}
