import { useEffect, useRef, useState } from 'react';
import type { ApprovalDecision } from '../../../shared/agent-words';
import type { PendingApprovalInfo } from '../../../shared/agents';
import { invoke } from '../../api/client';
import { windowMessageOf } from '../../../shared/error-boundaries';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { useSecondsLeft } from './use-seconds-left';

interface Props {
  approval: PendingApprovalInfo;
  queued: number;
  onSettled: (id: string) => void;
  onExpired: () => void;
}

/**
 * A question of the command line's admin channel: a session to manage
 * Custodian, or one change that weakens protection. Allow or Deny only (an
 * admin question has no "for 10 minutes"); Deny has the focus, and Escape
 * denies, as in the agents' dialog.
 */
export function AdminQuestionDialog({ approval, queued, onSettled, onExpired }: Props) {
  const [busyOn, setBusyOn] = useState<{ id: string; decision: ApprovalDecision } | null>(null);
  const [errorOn, setErrorOn] = useState<{ id: string; message: string } | null>(null);
  const busy = busyOn?.id === approval.id ? busyOn.decision : null;
  const error = errorOn?.id === approval.id ? errorOn.message : null;
  const secondsLeft = useSecondsLeft(approval.expiresAt);
  const denyRef = useRef<HTMLButtonElement>(null);

  useEffect(() => denyRef.current?.focus(), [approval.id]);

  useEffect(() => {
    if (secondsLeft > 0) return;
    const timer = window.setTimeout(onExpired, 1000);
    return () => window.clearTimeout(timer);
  }, [secondsLeft, onExpired]);

  const answer = async (decision: ApprovalDecision) => {
    if (busy) return;
    const { id } = approval;
    setBusyOn({ id, decision });
    setErrorOn(null);
    try {
      await invoke('approvals:answer', { id, decision });
      onSettled(id);
    } catch (caught) {
      setErrorOn({ id, message: windowMessageOf(caught) });
      setBusyOn(null);
    }
  };

  return (
    <Dialog
      role="alertdialog"
      size="large"
      title={approval.question ?? 'Allow the custodian command line?'}
      description="A program using the custodian command line asks. If you did not just run a custodian command, deny."
      onClose={() => void answer('deny')}
    >
      <dl className="facts approval-facts">
        <div>
          <dt>Asked by</dt>
          <dd>{approval.client}</dd>
        </div>
      </dl>
      <div className="stack stack-tight">
        <p className="field-label" id={`${approval.id}-asks`}>
          What it asks
        </p>
        <pre className="payload payload-prose" tabIndex={0} aria-labelledby={`${approval.id}-asks`}>
          {approval.summary}
        </pre>
      </div>
      <p className="approval-countdown" role="timer">
        {secondsLeft > 0 ? (
          <>
            Denied automatically in <strong>{secondsLeft} s</strong> if you do not answer.
          </>
        ) : (
          'Time is up: the request is being denied.'
        )}
      </p>
      {queued > 0 && (
        <p className="muted small">
          {queued === 1 ? '1 more request is waiting.' : `${queued} more requests are waiting.`}
        </p>
      )}
      {error && <Alert>{error}</Alert>}
      <div className="actions">
        <Button
          ref={denyRef}
          onClick={() => void answer('deny')}
          disabled={busy !== null}
          autoFocus
        >
          {busy === 'deny' ? 'Denying…' : 'Deny'}
        </Button>
        <Button variant="primary" onClick={() => void answer('once')} disabled={busy !== null}>
          {busy === 'once' ? 'Allowing…' : 'Allow'}
        </Button>
      </div>
    </Dialog>
  );
}
