import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { ApprovalCountdown } from './ApprovalCountdown';
import { useApprovalAnswer, type ApprovalDialogProps } from './use-approval-answer';

/**
 * A question of the command line's admin channel: a session to manage
 * Custodian, or one change that weakens protection. Allow or Deny only (an
 * admin question has no "for 10 minutes"); Deny has the focus, and Escape
 * denies, as in the agents' dialog.
 */
export function AdminQuestionDialog({
  approval,
  queued,
  onSettled,
  onExpired,
}: ApprovalDialogProps) {
  const { busy, error, secondsLeft, denyRef, answer } = useApprovalAnswer(
    approval,
    onSettled,
    onExpired,
  );

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
      <ApprovalCountdown secondsLeft={secondsLeft} queued={queued} />
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
