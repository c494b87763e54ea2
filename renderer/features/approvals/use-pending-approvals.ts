import { useEffect } from 'react';
import { useQuery } from '../../api/use-query';

/**
 * The calls waiting for the person, oldest first. Main pushes
 * `approvals:changed` whenever one is asked for or settled (answered here or
 * elsewhere, timed out, cancelled by a lock or withdrawn by its agent), and the
 * list is read again, so the list itself is the one truth: the dialog shows
 * what it holds.
 */
export function usePendingApprovals() {
  const { data, reload } = useQuery('approvals:list', {});
  useEffect(() => window.custodian.on('approvals:changed', reload), [reload]);
  // A failed read (the vault locked under it) shows nothing: there is nothing to answer.
  return { pending: data ?? [], reload };
}
