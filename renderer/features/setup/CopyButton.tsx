import { useState } from 'react';
import { Button } from '../../ui/Button';

interface Props {
  text: string;
  /** The element showing the text: selected for a manual copy when the clipboard is refused. */
  targetId: string;
}

type Outcome = 'idle' | 'copied' | 'refused';

/** Copies to the clipboard, or says plainly how to copy by hand when the clipboard is refused. */
export function CopyButton({ text, targetId }: Props) {
  const [outcome, setOutcome] = useState<Outcome>('idle');

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setOutcome('copied');
    } catch {
      const target = document.getElementById(targetId);
      if (target) window.getSelection()?.selectAllChildren(target);
      setOutcome('refused');
    }
  };

  return (
    <>
      <Button onClick={() => void copy()}>{outcome === 'copied' ? 'Copied' : 'Copy'}</Button>
      <p className="copy-status" role="status">
        {outcome === 'copied' && 'Copied to the clipboard.'}
        {outcome === 'refused' &&
          'Copying was blocked. The passphrase is selected: press Ctrl+C (⌘C on a Mac) or write it down.'}
      </p>
    </>
  );
}
