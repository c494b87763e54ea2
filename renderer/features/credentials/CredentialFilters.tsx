import { useId } from 'react';
import type { CredentialTypeInfo } from '../../../shared/fields';
import { typeSourceLabel } from './type-source';

interface Props {
  query: string;
  onQuery: (query: string) => void;
  type: string;
  onType: (type: string) => void;
  types: readonly CredentialTypeInfo[];
}

/** Search by name, type or description, and narrow to one type. */
export function CredentialFilters({ query, onQuery, type, onType, types }: Props) {
  const searchId = useId();
  const typeId = useId();
  return (
    <div className="filters" role="search">
      <div className="filter filter-grow">
        <label htmlFor={searchId} className="field-label">
          Search
        </label>
        <input
          id={searchId}
          type="search"
          className="input"
          value={query}
          maxLength={200}
          placeholder="Name, type or description"
          onChange={(event) => onQuery(event.target.value)}
        />
      </div>
      <div className="filter">
        <label htmlFor={typeId} className="field-label">
          Type
        </label>
        <select
          id={typeId}
          className="input select"
          value={type}
          onChange={(event) => onType(event.target.value)}
        >
          <option value="">All types</option>
          {types.map((t) => {
            const source = typeSourceLabel(t.source);
            return (
              <option key={t.name} value={t.name}>
                {source ? `${t.display_name} (${source})` : t.display_name}
              </option>
            );
          })}
        </select>
      </div>
    </div>
  );
}
