import type { CredentialSummary } from '../../../shared/credentials';
import { Button } from '../../ui/Button';
import { formatDate } from './format-date';

interface Props {
  items: readonly CredentialSummary[];
  /** Display names by type name; an unknown type shows its raw name. */
  typeNames: ReadonlyMap<string, string>;
  onEdit: (credential: CredentialSummary) => void;
  onDelete: (credential: CredentialSummary) => void;
}

/** The credentials as cards: they wrap on narrow windows where a table would overflow. */
export function CredentialList({ items, typeNames, onEdit, onDelete }: Props) {
  return (
    <ul className="credential-list" aria-label="Credentials">
      {items.map((credential) => (
        <li key={credential.id} className="credential">
          <div className="credential-body">
            <div className="credential-title">
              <h2 className="credential-name">{credential.name}</h2>
              {typeNames.has(credential.type) ? (
                <span className="badge">{typeNames.get(credential.type)}</span>
              ) : (
                // A plugin type whose plugin is off, broken or gone: the credential stays, unusable.
                <span className="badge badge-off">{credential.type} (type unavailable)</span>
              )}
            </div>
            {credential.description && (
              <p className="credential-description">{credential.description}</p>
            )}
            <p className="credential-meta">
              Updated{' '}
              <time dateTime={credential.updatedAt}>{formatDate(credential.updatedAt)}</time>
            </p>
          </div>
          <div className="credential-actions">
            <Button onClick={() => onEdit(credential)} aria-label={`Edit ${credential.name}`}>
              Edit
            </Button>
            <Button
              variant="danger-quiet"
              onClick={() => onDelete(credential)}
              aria-label={`Delete ${credential.name}`}
            >
              Delete
            </Button>
          </div>
        </li>
      ))}
    </ul>
  );
}
