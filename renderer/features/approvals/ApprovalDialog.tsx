import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { shortHash } from './short-hash';
import { ApprovalCountdown } from './ApprovalCountdown';
import { useApprovalAnswer, type ApprovalDialogProps } from './use-approval-answer';

/**
 * One agent call waiting for the person: who asks, with which tool and
 * credential, and exactly what it will do. Deny has the focus, so a stray
 * Enter refuses; Escape refuses too. The person decides on the payload itself,
 * so it is shown verbatim, however long.
 *
 * The dialog stays open from one waiting call to the next, and only its
 * content changes: closing and reopening a modal would send the focus back to
 * the page in between, out of the next dialog.
 */
export function ApprovalDialog({ approval, queued, onSettled, onExpired }: ApprovalDialogProps) {
  const { busy, error, secondsLeft, denyRef, answer } = useApprovalAnswer(
    approval,
    onSettled,
    onExpired,
  );

  const credential = approval.credential ?? 'no credential';
  return (
    <Dialog
      role="alertdialog"
      size="large"
      title={`Allow ${approval.tool}?`}
      description={
        approval.credential
          ? `An agent calling itself ${approval.client} asks to use one of your credentials. It never sees the secret: check what it will do.`
          : `An agent calling itself ${approval.client} asks to run a tool. Check what it will do.`
      }
      onClose={() => void answer('deny')}
    >
      <dl className="facts approval-facts">
        <div>
          <dt>Agent</dt>
          {/* The name comes from the client itself at connection; nothing checks it. */}
          <dd>
            {approval.client}{' '}
            <span className="muted small">(the name the client calls itself)</span>
          </dd>
        </div>
        <div>
          <dt>Tool</dt>
          <dd>
            <code className="code">{approval.tool}</code>
          </dd>
        </div>
        <div>
          <dt>Credential</dt>
          <dd className={approval.credential ? undefined : 'muted'}>{credential}</dd>
        </div>
      </dl>
      <div className="stack stack-tight">
        <p className="field-label" id={`${approval.id}-payload`}>
          Exactly what it will do
        </p>
        {/* Focusable so a keyboard user can scroll a long payload. */}
        <pre className="payload" tabIndex={0} aria-labelledby={`${approval.id}-payload`}>
          {approval.summary}
        </pre>
        <p className="muted small">
          Payload hash{' '}
          <code className="code" title={approval.payloadHash}>
            {shortHash(approval.payloadHash)}
          </code>{' '}
          (the same hash appears in Activity).
        </p>
      </div>
      <ApprovalCountdown secondsLeft={secondsLeft} queued={queued} />
      {/* A grant covers this connection, tool and credential, not this payload: say so before the click. */}
      <p className="muted small">
        Allow for 10 minutes lets this connection of {approval.client} run {approval.tool}
        {approval.credential ? ` with ${approval.credential}` : ''} again without asking, whatever
        it sends, until 10 minutes from now or until Custodian locks. Any other connection is asked
        again, even one using the same name.
      </p>
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
        <Button onClick={() => void answer('ten_minutes')} disabled={busy !== null}>
          {busy === 'ten_minutes' ? 'Allowing…' : 'Allow for 10 minutes'}
        </Button>
        <Button variant="primary" onClick={() => void answer('once')} disabled={busy !== null}>
          {busy === 'once' ? 'Allowing…' : 'Allow once'}
        </Button>
      </div>
    </Dialog>
  );
}
