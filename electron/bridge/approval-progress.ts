// The beat of notifications/progress while a call waits for the person: one
// per interval in which the app says a call of this connection is waiting,
// with a count that only goes up (MCP asks progress to increase).

export interface ProgressTimers {
  setInterval: (fn: () => void, ms: number) => unknown;
  clearInterval: (handle: unknown) => void;
}

const realTimers: ProgressTimers = {
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

/** Starts the beat; the function it returns stops it. */
export function startApprovalProgress(
  send: (progress: number) => void,
  isWaiting: () => boolean,
  intervalMs: number,
  timers: ProgressTimers = realTimers,
): () => void {
  let progress = 0;
  const handle = timers.setInterval(() => {
    if (!isWaiting()) return;
    progress += 1;
    send(progress);
  }, intervalMs);
  return () => timers.clearInterval(handle);
}
