import { useState } from 'react';
import { Alert } from '../../ui/Alert';
import { ScreenHeading } from '../../ui/ScreenHeading';
import { ActivityFilters } from './ActivityFilters';
import { ActivityTable } from './ActivityTable';
import { IntegrityCheck } from './IntegrityCheck';
import { useAuditChoices, useAuditEntries, type AuditFilters } from './use-audit';

const NO_FILTERS: AuditFilters = { tool: '', client: '', outcome: '' };

/** The audit log: what agents asked for, who decided, and how it ended. */
export function ActivityPanel() {
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const { entries, error, limit } = useAuditEntries(filters);
  const choices = useAuditChoices();
  const filtered = filters.tool !== '' || filters.client !== '' || filters.outcome !== '';

  return (
    <section className="stack">
      <div className="panel-header">
        <ScreenHeading>Activity</ScreenHeading>
      </div>
      <p className="muted">
        Every call an agent made, newest first. Payloads are never stored, only their hash, which
        you can match with the one shown when you were asked.
      </p>
      <IntegrityCheck />
      <ActivityFilters
        filters={filters}
        onChange={setFilters}
        tools={choices.tools}
        clients={choices.clients}
      />
      {error && <Alert>{error}</Alert>}
      {entries === null ? (
        !error && <p className="muted">Loading…</p>
      ) : entries.length === 0 ? (
        <div className="empty-state">
          <p className="empty-state-title">
            {filtered ? 'No activity matches these filters' : 'No activity yet'}
          </p>
          <p className="muted">
            {filtered
              ? 'Choose “All” in a filter to see more.'
              : 'When an agent calls a tool, it shows here.'}
          </p>
        </div>
      ) : (
        <>
          <ActivityTable entries={entries} />
          {entries.length >= limit && (
            <p className="muted small">
              Showing the newest {limit}. Use the filters to see others.
            </p>
          )}
        </>
      )}
    </section>
  );
}
