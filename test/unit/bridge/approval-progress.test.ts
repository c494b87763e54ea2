import { afterEach, describe, expect, it, vi } from 'vitest';
import { startApprovalProgress } from '../../../electron/bridge/approval-progress';
import { PROGRESS_INTERVAL_MS } from '../../../electron/bridge/mcp-server';

// The beat of notifications/progress, on a fake clock at the real interval.

afterEach(() => {
  vi.useRealTimers();
});

describe('progress while a person decides', () => {
  it('beats at least every 10 s: five rising beats in a 25 s wait, none after it ends', () => {
    vi.useFakeTimers();
    expect(PROGRESS_INTERVAL_MS).toBeLessThanOrEqual(10_000);
    const sent: number[] = [];
    const stop = startApprovalProgress(
      (progress) => sent.push(progress),
      () => true,
      PROGRESS_INTERVAL_MS,
    );
    for (let second = 1; second <= 25; second++) {
      vi.advanceTimersByTime(1_000);
      // Never more than one interval without a beat.
      expect(sent.length).toBe(Math.floor((second * 1_000) / PROGRESS_INTERVAL_MS));
    }
    expect(sent).toEqual([1, 2, 3, 4, 5]);
    stop();
    vi.advanceTimersByTime(60_000);
    expect(sent).toEqual([1, 2, 3, 4, 5]);
  });

  it('stays quiet while nothing waits for the person, and counts on when something does', () => {
    vi.useFakeTimers();
    let waiting = false;
    const sent: number[] = [];
    const stop = startApprovalProgress(
      (progress) => sent.push(progress),
      () => waiting,
      PROGRESS_INTERVAL_MS,
    );
    vi.advanceTimersByTime(3 * PROGRESS_INTERVAL_MS);
    expect(sent).toEqual([]);
    waiting = true;
    vi.advanceTimersByTime(2 * PROGRESS_INTERVAL_MS);
    waiting = false;
    vi.advanceTimersByTime(2 * PROGRESS_INTERVAL_MS);
    waiting = true;
    vi.advanceTimersByTime(PROGRESS_INTERVAL_MS);
    expect(sent).toEqual([1, 2, 3]);
    stop();
  });
});
