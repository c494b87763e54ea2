import { useCallback, useState } from 'react';
import { AdminQuestionDialog } from './AdminQuestionDialog';
import { ApprovalDialog } from './ApprovalDialog';
import { usePendingApprovals } from './use-pending-approvals';
import { useWithdrawnApprovals } from './use-withdrawn-approvals';
import { WithdrawnNotice } from './WithdrawnNotice';

/**
 * Shows the oldest pending approval, whatever view is open. Mounted while the
 * vault is unlocked (a lock cancels every approval anyway). An answered one is
 * hidden at once, before the list is read again, so a second click cannot
 * answer it twice and the next one appears without a flash of the old. When an
 * agent withdraws a call, a short notice says so first, then the next one shows.
 */
export function ApprovalHost() {
  const { pending, reload } = usePendingApprovals();
  const { withdrawn, seen } = useWithdrawnApprovals();
  const [answered, setAnswered] = useState<ReadonlySet<string>>(new Set());

  const settled = useCallback(
    (id: string) => {
      setAnswered((now) => new Set(now).add(id));
      reload();
    },
    [reload],
  );

  if (withdrawn.length > 0) return <WithdrawnNotice withdrawn={withdrawn} onSeen={seen} />;
  const open = pending.filter((approval) => !answered.has(approval.id));
  const current = open[0];
  if (!current) return null;
  // The command line's questions are Allow or Deny only, about what it asks, not a tool call.
  const Shown = current.kind === 'admin' ? AdminQuestionDialog : ApprovalDialog;
  return (
    <Shown approval={current} queued={open.length - 1} onSettled={settled} onExpired={reload} />
  );
}
