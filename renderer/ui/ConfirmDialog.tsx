import { useRef, useState, type ReactNode } from 'react';
import { windowMessageOf } from '../../shared/error-boundaries';
import { Alert } from './Alert';
import { Button } from './Button';
import { Dialog } from './Dialog';

interface Props {
  title: string;
  description: string;
  /** The danger button's label, and what it reads while the action runs. */
  confirmLabel: string;
  busyLabel: string;
  /** Runs on confirm; a rejection is shown in the dialog, which stays open. */
  action: () => Promise<void>;
  /** After the action succeeded; usually closes the dialog. */
  onDone: () => void;
  onClose: () => void;
  children?: ReactNode;
}

/**
 * A destructive action that asks first. Cancel has the focus, so a stray Enter
 * keeps things as they are; once done, what opened the dialog is usually gone,
 * so focus goes to the page heading.
 */
export function ConfirmDialog({
  title,
  description,
  confirmLabel,
  busyLabel,
  action,
  onDone,
  onClose,
  children,
}: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const done = useRef(false);

  const confirm = async () => {
    setBusy(true);
    try {
      await action();
      // Set before onDone: closing the dialog reads it to decide where focus goes.
      done.current = true;
      onDone();
    } catch (caught) {
      setError(windowMessageOf(caught));
      setBusy(false);
    }
  };

  return (
    <Dialog
      role="alertdialog"
      title={title}
      description={description}
      onClose={onClose}
      focusOnClose={() => (done.current ? document.querySelector('h1') : null)}
    >
      {children}
      {error && <Alert>{error}</Alert>}
      <div className="actions">
        <Button onClick={onClose} autoFocus>
          Cancel
        </Button>
        <Button variant="danger" onClick={() => void confirm()} disabled={busy} aria-busy={busy}>
          {busy ? busyLabel : confirmLabel}
        </Button>
      </div>
    </Dialog>
  );
}
