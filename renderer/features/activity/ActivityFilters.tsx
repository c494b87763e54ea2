import { useId } from 'react';
import { AUDIT_OUTCOMES, type AuditOutcome } from '../../../shared/agent-words';
import { OUTCOME_LABEL } from './audit-words';
import type { AuditFilters } from './use-audit';

interface Props {
  filters: AuditFilters;
  onChange: (filters: AuditFilters) => void;
  tools: readonly string[];
  clients: readonly string[];
}

/** Narrow the log to one tool, one agent or one outcome. */
export function ActivityFilters({ filters, onChange, tools, clients }: Props) {
  const toolId = useId();
  const clientId = useId();
  const outcomeId = useId();
  // A chosen name stays offered even when it no longer occurs (after rotation).
  const withCurrent = (names: readonly string[], current: string) =>
    current && !names.includes(current) ? [current, ...names] : names;
  return (
    <div className="filters" role="search" aria-label="Filter activity">
      <div className="filter">
        <label htmlFor={toolId} className="field-label">
          Tool
        </label>
        <select
          id={toolId}
          className="input select"
          value={filters.tool}
          onChange={(event) => onChange({ ...filters, tool: event.target.value })}
        >
          <option value="">All tools</option>
          {withCurrent(tools, filters.tool).map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <div className="filter">
        <label htmlFor={clientId} className="field-label">
          Agent
        </label>
        <select
          id={clientId}
          className="input select"
          value={filters.client}
          onChange={(event) => onChange({ ...filters, client: event.target.value })}
        >
          <option value="">All agents</option>
          {withCurrent(clients, filters.client).map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <div className="filter">
        <label htmlFor={outcomeId} className="field-label">
          Outcome
        </label>
        <select
          id={outcomeId}
          className="input select"
          value={filters.outcome}
          onChange={(event) =>
            onChange({ ...filters, outcome: event.target.value as AuditOutcome | '' })
          }
        >
          <option value="">All outcomes</option>
          {AUDIT_OUTCOMES.map((outcome) => (
            <option key={outcome} value={outcome}>
              {OUTCOME_LABEL[outcome]}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
