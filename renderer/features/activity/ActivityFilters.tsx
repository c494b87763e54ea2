import { AUDIT_OUTCOMES, type AuditOutcome } from '../../../shared/agent-words';
import { FilterSelect } from '../../ui/FilterSelect';
import { OUTCOME_LABEL } from './audit-words';
import type { AuditFilters } from './use-audit';

interface Props {
  filters: AuditFilters;
  onChange: (filters: AuditFilters) => void;
  tools: readonly string[];
  clients: readonly string[];
}

// A chosen name stays offered even when it no longer occurs (after rotation).
function namesWith(names: readonly string[], current: string) {
  const all = current && !names.includes(current) ? [current, ...names] : names;
  return all.map((name) => ({ value: name, label: name }));
}

const OUTCOME_OPTIONS = AUDIT_OUTCOMES.map((outcome) => ({
  value: outcome,
  label: OUTCOME_LABEL[outcome],
}));

/** Narrow the log to one tool, one agent or one outcome. */
export function ActivityFilters({ filters, onChange, tools, clients }: Props) {
  return (
    <div className="filters" role="search" aria-label="Filter activity">
      <FilterSelect
        label="Tool"
        allLabel="All tools"
        value={filters.tool}
        options={namesWith(tools, filters.tool)}
        onChange={(tool) => onChange({ ...filters, tool })}
      />
      <FilterSelect
        label="Agent"
        allLabel="All agents"
        value={filters.client}
        options={namesWith(clients, filters.client)}
        onChange={(client) => onChange({ ...filters, client })}
      />
      <FilterSelect
        label="Outcome"
        allLabel="All outcomes"
        value={filters.outcome}
        options={OUTCOME_OPTIONS}
        onChange={(outcome) => onChange({ ...filters, outcome: outcome as AuditOutcome | '' })}
      />
    </div>
  );
}
