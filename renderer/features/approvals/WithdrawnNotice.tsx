import { useEffect } from 'react';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import type { WithdrawnApproval } from './use-withdrawn-approvals';

/** How long the notice stays when nobody closes it. */
export const WITHDRAWN_NOTICE_MS = 8_000;

interface Props {
  withdrawn: readonly WithdrawnApproval[];
  /** Closed by the person, or on its own after a few seconds. */
  onSeen: () => void;
}

const sentence = ({ client, tool }: WithdrawnApproval) =>
  `${client} withdrew its request to use ${tool}`;

/**
 * Takes the place of an approval dialog whose agent withdrew the call, so the
 * request does not just vanish under the person's pointer (and a click meant
 * for it cannot land on the next one). It lasts a few seconds, counted again
 * when another withdrawal arrives, or until closed.
 */
export function WithdrawnNotice({ withdrawn, onSeen }: Props) {
  useEffect(() => {
    const timer = window.setTimeout(onSeen, WITHDRAWN_NOTICE_MS);
    return () => window.clearTimeout(timer);
  }, [withdrawn, onSeen]);

  const [only] = withdrawn;
  const single = withdrawn.length === 1 && only;
  return (
    <Dialog
      role="alertdialog"
      title={single ? 'Request withdrawn' : 'Requests withdrawn'}
      description={
        single
          ? `${sentence(only)} before you answered. It did not run.`
          : 'These agents withdrew their requests before you answered. None of them ran.'
      }
      onClose={onSeen}
    >
      {!single && (
        <ul className="stack stack-tight">
          {withdrawn.map((w) => (
            <li key={w.id}>{sentence(w)}.</li>
          ))}
        </ul>
      )}
      <div className="actions">
        <Button variant="primary" onClick={onSeen} autoFocus>
          OK
        </Button>
      </div>
    </Dialog>
  );
}
