import { describe, expect, it } from 'vitest';
import {
  RefusalRecorder,
  VARIOUS_CLIENTS,
  VARIOUS_TOOLS,
} from '../../../electron/core/agents/policy/refusal-recorder';
import type { AuditEntryInput } from '../../../electron/core/audit';
import { openLog, tempFolder } from './helpers';

// Refused calls gathered into bursts, written to a real log, on a clock and a
// timer the test moves by hand.

function rig(options: { perClient?: number; total?: number } = {}) {
  let ms = Date.parse('2026-04-01T00:00:00.000Z');
  const timers: (() => void)[] = [];
  return {
    now: () => new Date(ms),
    advance: (by: number) => (ms += by),
    /** Fires every timer armed so far, as the event loop would once their time came. */
    fire: () => timers.splice(0).forEach((fn) => fn()),
    schedule: (fn: () => void) => {
      timers.push(fn);
      return () => timers.splice(timers.indexOf(fn), 1);
    },
    ...options,
  };
}

const refusal = (client: string, tool = 'no_such_tool'): AuditEntryInput => ({
  client,
  tool,
  credential: null,
  outcome: 'failed',
  payload: { tool },
  detail: 'no such tool',
});

describe('RefusalRecorder', () => {
  it('writes the first refusal of a burst, then one entry with the count and time range', async () => {
    const log = openLog(await tempFolder());
    const clock = rig();
    const recorder = new RefusalRecorder({
      write: async (entry) => void (await log.append(entry)),
      now: clock.now,
      windowMs: 60_000,
      schedule: clock.schedule,
    });
    for (let i = 0; i < 100; i++) {
      await recorder.record(refusal('flood'));
      clock.advance(100);
    }
    expect(await log.query({})).toHaveLength(1);
    clock.advance(60_000);
    clock.fire();
    await recorder.flush();
    const [burst, first] = await log.query({});
    expect(first?.coalesced).toBeUndefined();
    expect(burst?.coalesced).toEqual({
      count: 99,
      from: '2026-04-01T00:00:00.100Z',
      until: '2026-04-01T00:00:09.900Z',
    });
    expect(burst?.detail).toBe(
      '99 more like this from 2026-04-01T00:00:00.100Z to 2026-04-01T00:00:09.900Z (no such tool)',
    );
    await log.close();
  });

  it('folds a client that varies tool names, and agents that vary their own names', async () => {
    const log = openLog(await tempFolder());
    const clock = rig();
    const recorder = new RefusalRecorder({
      write: async (entry) => void (await log.append(entry)),
      now: clock.now,
      perClient: 3,
      total: 10,
      schedule: clock.schedule,
    });
    for (let i = 0; i < 50; i++) await recorder.record(refusal('one', `tool_${i}`));
    for (let i = 0; i < 50; i++) await recorder.record(refusal(`client_${i}`));
    await recorder.flush();
    const entries = (await log.query({ limit: 1000 })).reverse();
    const alone = entries.filter((e) => !e.coalesced);
    // Three tools of "one", one folded burst for it, then clients until ten bursts are open.
    expect(alone.map((e) => `${e.client} ${e.tool}`)).toEqual([
      'one tool_0',
      'one tool_1',
      'one tool_2',
      `one ${VARIOUS_TOOLS}`,
      ...Array.from({ length: 6 }, (_, i) => `client_${i} no_such_tool`),
      `${VARIOUS_CLIENTS} ${VARIOUS_TOOLS}`,
    ]);
    const counted = entries.reduce((sum, e) => sum + (e.coalesced?.count ?? 1), 0);
    expect(counted).toBe(100);
    await log.close();
  });
});
