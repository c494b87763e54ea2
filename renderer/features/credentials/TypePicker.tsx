import type { CredentialTypeInfo } from '../../../shared/fields';
import { Button } from '../../ui/Button';

interface Props {
  types: readonly CredentialTypeInfo[];
  onPick: (type: CredentialTypeInfo) => void;
  onCancel: () => void;
}

/** Step one of Add: the type decides which fields the form has. */
export function TypePicker({ types, onPick, onCancel }: Props) {
  return (
    <div className="stack">
      {types.length === 0 && <p>No credential types are available.</p>}
      <ul className="type-list" aria-label="Credential types">
        {types.map((type) => (
          <li key={type.name}>
            <button type="button" className="type-option" onClick={() => onPick(type)}>
              <span className="type-option-name">{type.display_name}</span>
              {type.description && (
                <span className="type-option-description">{type.description}</span>
              )}
            </button>
          </li>
        ))}
      </ul>
      <div className="actions">
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </div>
  );
}
