import { useId } from 'react';
import type { CredentialTypeInfo } from '../../../shared/fields';
import { FilterSelect } from '../../ui/FilterSelect';
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
      <FilterSelect
        label="Type"
        allLabel="All types"
        value={type}
        options={types.map((t) => {
          const source = typeSourceLabel(t.source);
          return {
            value: t.name,
            label: source ? `${t.display_name} (${source})` : t.display_name,
          };
        })}
        onChange={onType}
      />
    </div>
  );
}
