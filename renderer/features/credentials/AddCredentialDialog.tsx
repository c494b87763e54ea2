import { useState } from 'react';
import type { CredentialSummary } from '../../../shared/credentials';
import type { CredentialTypeInfo } from '../../../shared/fields';
import { invoke } from '../../api/client';
import { Dialog } from '../../ui/Dialog';
import { CredentialForm } from './CredentialForm';
import { TypePicker } from './TypePicker';
import { newFormState, toCreateRequest } from './form-model';

interface Props {
  types: readonly CredentialTypeInfo[];
  onSaved: (credential: CredentialSummary) => void;
  onClose: () => void;
}

const NOTHING_STORED: ReadonlySet<string> = new Set();

/** Add: pick a type, then fill the form its fields define. */
export function AddCredentialDialog({ types, onSaved, onClose }: Props) {
  const [type, setType] = useState<CredentialTypeInfo | null>(null);

  return (
    <Dialog
      title={type ? `Add ${type.display_name}` : 'Add credential'}
      description={type ? type.description : 'What kind of credential is it?'}
      onClose={onClose}
      size="large"
    >
      {type ? (
        <CredentialForm
          key={type.name}
          type={type}
          initial={newFormState(type)}
          storedSecrets={NOTHING_STORED}
          submitLabel="Add credential"
          onSubmit={async (state) =>
            onSaved(await invoke('credentials:create', toCreateRequest(type, state)))
          }
          onCancel={onClose}
          onBack={() => setType(null)}
        />
      ) : (
        <TypePicker types={types} onPick={setType} onCancel={onClose} />
      )}
    </Dialog>
  );
}
