// The one way tests wait for something that happens on its own time (a process
// that logs, a call that reaches the approval queue, a frame that arrives): retry
// a check until it holds, or fail after a bound with the check's last error.
// The bound catches hangs; it measures nothing.

export interface EventuallyOptions {
  /** How long to keep trying before failing the test. */
  timeoutMs?: number;
  /** How long to wait between two tries. */
  intervalMs?: number;
  /** What was awaited, for the failure; a function is read only when it fails. */
  message?: string | (() => string);
}

/** The check did not hold: it returned `false`. */
class NotYet extends Error {}

/**
 * Runs `check` until it neither throws nor returns `false`, and resolves with
 * what it returned. A check is an assertion (`() => expect(x).toBe(1)`), a
 * predicate (`() => log.includes('ready')`), or a lookup that throws until it
 * finds something. After `timeoutMs` it rejects with `message` and the last
 * error, so a failure says what was awaited and why it never came.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  { timeoutMs = 5_000, intervalMs = 10, message = 'a condition' }: EventuallyOptions = {},
): Promise<Exclude<T, false>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let last: unknown;
    try {
      const value = await check();
      if (value !== false) return value as Exclude<T, false>;
      last = new NotYet('the check returned false');
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) {
      const what = typeof message === 'function' ? message() : message;
      const why = last instanceof Error ? last.message : String(last);
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}: ${why}`, {
        cause: last,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
