import { useState } from 'react';
import { Button } from './Button';

interface Props {
  text: string;
  /** The element showing the text: selected for a manual copy when the clipboard is refused. */
  targetId: string;
  /** What is copied, for the button's name and the messages: "the snippet". */
  what: string;
  /** Added to the "copy by hand" message, e.g. "or write it down". */
  manualHint?: string;
}

type Outcome = 'idle' | 'copied' | 'refused';

/**
 * Copies to the clipboard, or selects the text and says how to copy by hand
 * when the clipboard is refused. The button's name says what it copies, so a
 * screen with two Copy buttons stays clear.
 */
export function CopyButton({ text, targetId, what, manualHint }: Props) {
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
      <Button onClick={() => void copy()} aria-label={`Copy ${what}`}>
        {outcome === 'copied' ? 'Copied' : 'Copy'}
      </Button>
      <p className="copy-status" role="status">
        {outcome === 'copied' && `Copied ${what} to the clipboard.`}
        {outcome === 'refused' &&
          `Copying was blocked. ${capitalize(what)} is selected: press Ctrl+C (⌘C on a Mac)${manualHint ? ` ${manualHint}` : ''}.`}
      </p>
    </>
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
