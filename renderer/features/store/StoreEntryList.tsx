import { useId } from 'react';
import type { CatalogSourceInfo, StoreEntry } from '../../../shared/store';
import { FilterSelect } from '../../ui/FilterSelect';
import { StoreEntryCard } from './StoreEntryCard';
import { matchesStoreQuery } from '../../../shared/store-query';
import { catalogTitle } from './store-words';

export type StoreShow = '' | 'installed' | 'updates' | 'available';

export interface StoreFilter {
  query: string;
  /** '' for every catalog. */
  catalogId: string;
  show: StoreShow;
}

const SHOW_OPTIONS: readonly { value: StoreShow; label: string }[] = [
  { value: 'installed', label: 'Installed' },
  { value: 'updates', label: 'Updates available' },
  { value: 'available', label: 'Not installed' },
];

function shown(entry: StoreEntry, filter: StoreFilter): boolean {
  if (filter.catalogId && entry.catalogId !== filter.catalogId) return false;
  if (filter.show === 'installed' && !entry.installed) return false;
  if (filter.show === 'updates' && !entry.update) return false;
  if (filter.show === 'available' && entry.installed) return false;
  return matchesStoreQuery(entry, filter.query);
}

interface Props {
  entries: readonly StoreEntry[];
  catalogs: readonly CatalogSourceInfo[];
  filter: StoreFilter;
  onFilter: (filter: StoreFilter) => void;
  onDetails: (entry: StoreEntry) => void;
  onInstall: (entry: StoreEntry) => void;
  onUninstall: (entry: StoreEntry) => void;
}

/** Search across every catalog, narrow by catalog and state, and the plugins that match. */
export function StoreEntryList({
  entries,
  catalogs,
  filter,
  onFilter,
  onDetails,
  onInstall,
  onUninstall,
}: Props) {
  const searchId = useId();
  const visible = entries.filter((entry) => shown(entry, filter));
  const filtered = filter.query.trim() !== '' || filter.catalogId !== '' || filter.show !== '';
  const updates = entries.filter((entry) => entry.update).length;

  return (
    <>
      <div className="filters" role="search" aria-label="Search the store">
        <div className="filter filter-grow">
          <label htmlFor={searchId} className="field-label">
            Search
          </label>
          <input
            id={searchId}
            type="search"
            className="input"
            value={filter.query}
            maxLength={200}
            placeholder="Name, description, author, credential type or tool"
            onChange={(event) => onFilter({ ...filter, query: event.target.value })}
          />
        </div>
        <FilterSelect
          label="Catalog"
          allLabel="All catalogs"
          value={filter.catalogId}
          options={catalogs.map((catalog) => ({ value: catalog.id, label: catalogTitle(catalog) }))}
          onChange={(catalogId) => onFilter({ ...filter, catalogId })}
        />
        <FilterSelect
          label="Show"
          allLabel="All plugins"
          value={filter.show}
          options={SHOW_OPTIONS}
          onChange={(show) => onFilter({ ...filter, show: show as StoreShow })}
        />
      </div>
      <p className="muted small" role="status">
        {entries.length === 0
          ? ''
          : filtered
            ? `Showing ${visible.length} of ${entries.length} plugins.`
            : `${entries.length} ${entries.length === 1 ? 'plugin' : 'plugins'}${
                updates > 0 ? `, ${updates} with an update available` : ''
              }.`}
      </p>
      {entries.length === 0 ? (
        <div className="empty-state">
          <p className="empty-state-title">No plugins to show yet</p>
          <p className="muted">Add a catalog below: the plugins it lists appear here.</p>
        </div>
      ) : visible.length === 0 ? (
        <div className="empty-state">
          <p className="empty-state-title">No plugins match</p>
          <p className="muted">
            Search looks at names, descriptions, authors, credential types and tools.
          </p>
        </div>
      ) : (
        <ul className="store-list" aria-label="Store plugins">
          {visible.map((entry) => (
            <StoreEntryCard
              key={`${entry.catalogId}/${entry.name}`}
              entry={entry}
              onDetails={onDetails}
              onInstall={onInstall}
              onUninstall={onUninstall}
            />
          ))}
        </ul>
      )}
    </>
  );
}
