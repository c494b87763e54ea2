import { useEffect, useMemo } from 'react';
import { AUDIT_QUERY_MAX, type AuditOutcome } from '../../../shared/agent-words';
import { useQuery } from '../../api/use-query';

export interface AuditFilters {
  /** '' means any. */
  tool: string;
  client: string;
  outcome: AuditOutcome | '';
}

/** How many entries the table shows; the core caps a query at AUDIT_QUERY_MAX. */
const SHOWN = 200;

/** The audit entries matching the filters, newest first, read again whenever entries are written. */
export function useAuditEntries(filters: AuditFilters) {
  const { data, error, reload } = useQuery('audit:query', {
    ...(filters.tool ? { tool: filters.tool } : {}),
    ...(filters.client ? { client: filters.client } : {}),
    ...(filters.outcome ? { outcome: filters.outcome } : {}),
    limit: SHOWN,
  });
  useEffect(() => window.custodian.on('audit:changed', reload), [reload]);
  return { entries: data, error, limit: SHOWN };
}

/**
 * The tools and clients the filters offer. The core matches names exactly, so
 * the filters are picklists of names that occur in the log (plus every tool
 * there is), never free text that would silently match nothing.
 */
export function useAuditChoices() {
  const log = useQuery('audit:query', { limit: AUDIT_QUERY_MAX });
  const tools = useQuery('tools:list', {});
  const { reload: reloadLog } = log;
  const { reload: reloadTools } = tools;
  useEffect(() => window.custodian.on('audit:changed', reloadLog), [reloadLog]);
  useEffect(() => window.custodian.on('tools:changed', reloadTools), [reloadTools]);
  return useMemo(() => {
    const toolNames = new Set<string>();
    const clients = new Set<string>();
    for (const tool of tools.data ?? []) toolNames.add(tool.name);
    for (const entry of log.data ?? []) {
      toolNames.add(entry.tool);
      clients.add(entry.client);
    }
    const sorted = (set: Set<string>) => [...set].sort((a, b) => a.localeCompare(b));
    return { tools: sorted(toolNames), clients: sorted(clients) };
  }, [log.data, tools.data]);
}
