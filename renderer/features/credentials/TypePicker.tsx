import type { CredentialTypeInfo } from '../../../shared/fields';
import { Button } from '../../ui/Button';
import { typeSourceLabel } from './type-source';

interface Props {
  types: readonly CredentialTypeInfo[];
  onPick: (type: CredentialTypeInfo) => void;
  onCancel: () => void;
}

/**
 * Step one of Add: the type decides which fields the form has. A type a
 * plugin defines says so ("Echo token — from plugin echo"); its form is built
 * from its fields exactly like a built-in one.
 */
export function TypePicker({ types, onPick, onCancel }: Props) {
  return (
    <div className="stack">
      {types.length === 0 && <p>No credential types are available.</p>}
      <ul className="type-list" aria-label="Credential types">
        {types.map((type) => {
          const source = typeSourceLabel(type.source);
          return (
            <li key={type.name}>
              <button type="button" className="type-option" onClick={() => onPick(type)}>
                <span className="type-option-name">
                  {type.display_name}
                  {source && <span className="type-option-source"> — {source}</span>}
                </span>
                {type.description && (
                  <span className="type-option-description">{type.description}</span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
      <div className="actions">
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </div>
  );
}
