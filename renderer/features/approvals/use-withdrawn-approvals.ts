import { useCallback, useEffect, useState } from 'react';
import type { EventPayload } from '../../../shared/ipc/contract';

export type WithdrawnApproval = NonNullable<EventPayload<'approvals:changed'>['withdrawn']>;

/**
 * The approvals their agents withdrew (an MCP client cancelled the call while
 * it waited for the person), as main names them in `approvals:changed`, until
 * the person has seen them. Only the agent's and the tool's names arrive: the
 * payload stays in main.
 */
export function useWithdrawnApprovals() {
  const [withdrawn, setWithdrawn] = useState<readonly WithdrawnApproval[]>([]);
  useEffect(
    () =>
      window.custodian.on('approvals:changed', (change) => {
        const gone = change.withdrawn;
        if (gone) setWithdrawn((now) => [...now.filter((w) => w.id !== gone.id), gone]);
      }),
    [],
  );
  const seen = useCallback(() => setWithdrawn([]), []);
  return { withdrawn, seen };
}
