// The core's two clocks. Wall time (new Date(), or CoreOptions.now) is what a
// person reads: an audit entry's time, a credential's creation. Everything
// measured (a deadline, a grant's ten minutes, a rate limit's minute, idle time
// before auto-lock, a crash-loop window) is measured here instead, on a clock
// that only moves forward at real speed, so the system clock jumping forwards
// or backwards by hours (NTP, a person changing the date, a VM restored) does
// not expire anything early or make it live longer. Node's timers already run
// on this clock.

/** Milliseconds since an arbitrary start, never jumping (performance.now). */
export type MonotonicClock = () => number;

export const monotonicMs: MonotonicClock = () => performance.now();
