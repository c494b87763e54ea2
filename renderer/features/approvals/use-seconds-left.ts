import { useEffect, useState } from 'react';

/** Whole seconds until `deadline` (epoch ms), ticking down to 0. */
export function useSecondsLeft(deadline: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    // Ticks faster than once a second so the number never skips one.
    const timer = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(timer);
  }, []);
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}
