import { useEffect, useRef, useState } from 'react';
import type { ApprovalDecision } from '../../../shared/agent-words';
import type { PendingApprovalInfo } from '../../../shared/agents';
import { invoke } from '../../api/client';
import { windowMessageOf } from '../../../shared/error-boundaries';
import { useSecondsLeft } from './use-seconds-left';

/** What ApprovalHost gives each approval dialog, whichever kind of question it shows. */
export interface ApprovalDialogProps {
  approval: PendingApprovalInfo;
  /** How many more approvals wait behind this one. */
  queued: number;
  /** Main took an answer for this approval (or it was already settled): read the list again. */
  onSettled: (id: string) => void;
  /** The deadline passed: main settles it as timed out, so read the list again. */
  onExpired: () => void;
}

/**
 * How every approval dialog (an agent's call, the command line's admin
 * question) answers: one answer at a time, the error of this approval only,
 * Deny focused for each new approval, and a backstop read once the deadline
 * passed.
 */
export function useApprovalAnswer(
  approval: PendingApprovalInfo,
  onSettled: ApprovalDialogProps['onSettled'],
  onExpired: ApprovalDialogProps['onExpired'],
) {
  // Both belong to one approval: the next one starts with neither.
  const [busyOn, setBusyOn] = useState<{ id: string; decision: ApprovalDecision } | null>(null);
  const [errorOn, setErrorOn] = useState<{ id: string; message: string } | null>(null);
  const busy = busyOn?.id === approval.id ? busyOn.decision : null;
  const error = errorOn?.id === approval.id ? errorOn.message : null;
  const secondsLeft = useSecondsLeft(approval.expiresAt);
  const denyRef = useRef<HTMLButtonElement>(null);

  // Each new approval starts with Deny focused, like the first.
  useEffect(() => denyRef.current?.focus(), [approval.id]);

  useEffect(() => {
    if (secondsLeft > 0) return;
    // The core times it out on its own clock and pushes approvals:changed; this
    // read is the backstop in case that event was missed.
    const timer = window.setTimeout(onExpired, 1000);
    return () => window.clearTimeout(timer);
  }, [secondsLeft, onExpired]);

  const answer = async (decision: ApprovalDecision) => {
    if (busy) return;
    const { id } = approval;
    setBusyOn({ id, decision });
    setErrorOn(null);
    try {
      // answered:false means it was settled elsewhere first; either way the list moves on.
      await invoke('approvals:answer', { id, decision });
      onSettled(id);
    } catch (caught) {
      setErrorOn({ id, message: windowMessageOf(caught) });
      setBusyOn(null);
    }
  };

  return { busy, error, secondsLeft, denyRef, answer };
}
