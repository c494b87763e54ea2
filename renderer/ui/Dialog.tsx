import * as RadixDialog from '@radix-ui/react-dialog';
import { useState, type ReactNode } from 'react';

interface Props {
  title: ReactNode;
  description: ReactNode;
  onClose: () => void;
  children: ReactNode;
  /** alertdialog for confirmations, so assistive technology announces them as such. */
  role?: 'dialog' | 'alertdialog';
  size?: 'large';
  /** Where the focus goes on close instead of the opener (e.g. after the opener's row was deleted). */
  focusOnClose?: () => HTMLElement | null;
}

/**
 * A modal dialog on Radix: it traps focus, closes on Escape and gives focus
 * back to what opened it. It is open while mounted; the caller unmounts it to
 * close, which also drops any secret typed into it.
 */
export function Dialog(props: Props) {
  const { title, description, onClose, children, role = 'dialog', size, focusOnClose } = props;
  // Radix gives the focus back to a Dialog.Trigger; these dialogs are opened from
  // plain buttons (one per list row), so remember which one had the focus.
  const [opener] = useState(() => document.activeElement);
  return (
    <RadixDialog.Root open onOpenChange={(open) => open || onClose()}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="dialog-overlay" />
        <RadixDialog.Content
          className={`dialog${size === 'large' ? ' dialog-large' : ''}`}
          role={role}
          // A stray click outside must not throw away a half-filled form; Escape and Cancel close.
          onInteractOutside={(event) => event.preventDefault()}
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            const target = focusOnClose?.() ?? (opener instanceof HTMLElement ? opener : null);
            if (target?.isConnected) target.focus();
            else document.querySelector<HTMLElement>('h1')?.focus();
          }}
        >
          <RadixDialog.Title className="dialog-title">{title}</RadixDialog.Title>
          <RadixDialog.Description className="dialog-description">
            {description}
          </RadixDialog.Description>
          {children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
