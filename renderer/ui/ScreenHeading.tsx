import { useEffect, useRef, type ReactNode } from 'react';

/**
 * The h1 of a screen. It takes focus when the screen appears (after unlock,
 * or when the vault locks itself), so keyboard and screen-reader users start
 * at the top of the new screen instead of on a button that vanished.
 */
export function ScreenHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h1 ref={ref} tabIndex={-1} className="screen-heading">
      {children}
    </h1>
  );
}
