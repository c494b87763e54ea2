import { describe, expect, it } from 'vitest';
import {
  ApprovalBroker,
  type ApprovalBrokerOptions,
  type ApprovalOutcome,
  type ApprovalRequest,
  type PendingApproval,
} from '../../../electron/core/agents/policy/approvals';
import { CustodianError } from '../../../shared/errors';
import { ManualClock } from './manual-clock';

// The approval broker with a presenter standing in for the window and a clock
// the test moves by hand.

const SIGN: ApprovalRequest = {
  connection: 'socket:1',
  client: 'claude-ai',
  tool: 'pgp_sign',
  credential: 'work key',
  summary: 'Text to sign:\nrelease v1.2.3 checksum 9f2c…',
  payloadHash: 'sha256:abc123',
};

function setup(options: Partial<ApprovalBrokerOptions> = {}) {
  const clock = new ManualClock();
  const shown: PendingApproval[] = [];
  const dismissed: Array<[string, ApprovalOutcome]> = [];
  const logs: string[] = [];
  let n = 0;
  const broker = new ApprovalBroker({
    present: (approval) => shown.push(approval),
    dismiss: (id, outcome) => dismissed.push([id, outcome]),
    clock,
    newId: () => `approval-${++n}`,
    log: (message) => logs.push(message),
    ...options,
  });
  return { broker, clock, shown, dismissed, logs };
}

/** Follows a promise without awaiting it, so a test can see it is still pending. */
function track(promise: Promise<ApprovalOutcome>) {
  const state: { outcome?: ApprovalOutcome } = {};
  void promise.then((outcome) => (state.outcome = outcome));
  return state;
}
// Lets resolved promises run their callbacks; no time passes.
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ApprovalBroker', () => {
  it('shows the exact request and resolves with "once" when the person allows it once', async () => {
    const { broker, clock, shown, dismissed } = setup();
    const result = broker.request(SIGN);
    expect(shown).toEqual([
      {
        ...SIGN,
        kind: 'tool_call',
        id: 'approval-1',
        requestedAt: clock.time,
        expiresAt: clock.time + 60_000,
      },
    ]);
    expect(broker.pending()).toEqual(shown);

    expect(broker.answer('approval-1', 'once')).toBe(true);
    expect(await result).toBe('once');
    expect(dismissed).toEqual([['approval-1', 'once']]);
    expect(broker.pending()).toEqual([]);
    expect(clock.activeTimers).toBe(0);
    // Once is once: no standing grant.
    expect(broker.hasGrant(SIGN)).toBe(false);
  });

  it('refuses "for 10 minutes" as the answer to an admin question, which still waits for Allow or Deny', async () => {
    const { broker } = setup();
    const question = { ...SIGN, kind: 'admin' as const, question: 'Allow this change?' };
    const result = broker.request(question);
    expect(broker.pending()[0]).toMatchObject({ kind: 'admin', question: 'Allow this change?' });
    expect(() => broker.answer('approval-1', 'ten_minutes')).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    );
    expect(broker.hasGrant(question)).toBe(false);
    expect(broker.pending()).toHaveLength(1);
    expect(broker.answer('approval-1', 'once')).toBe(true);
    expect(await result).toBe('once');
  });

  it('headless, denies an admin question even for a tool listed in allowTools', async () => {
    const broker = new ApprovalBroker({ allowTools: [SIGN.tool] });
    expect(await broker.request({ ...SIGN, kind: 'admin' })).toBe('deny');
    expect(await broker.request(SIGN)).toBe('once');
  });

  it('resolves with "deny" when the person denies', async () => {
    const { broker } = setup();
    const result = broker.request(SIGN);
    broker.answer('approval-1', 'deny');
    expect(await result).toBe('deny');
    expect(broker.hasGrant(SIGN)).toBe(false);
  });

  it('ignores a second answer and an unknown id, and refuses an unknown decision', async () => {
    const { broker } = setup();
    const result = broker.request(SIGN);
    expect(() => broker.answer('approval-1', 'always' as 'once')).toThrow(CustodianError);
    expect(broker.pending()).toHaveLength(1);
    expect(broker.answer('approval-1', 'deny')).toBe(true);
    expect(broker.answer('approval-1', 'ten_minutes')).toBe(false);
    expect(broker.answer('no-such-id', 'once')).toBe(false);
    expect(await result).toBe('deny');
    expect(broker.hasGrant(SIGN)).toBe(false);
  });

  it('times out after 60 s without an answer, and a late answer changes nothing', async () => {
    const { broker, clock, dismissed } = setup();
    const state = track(broker.request(SIGN));
    clock.advance(59_999);
    await settle();
    expect(state.outcome).toBeUndefined();
    clock.advance(1);
    await settle();
    expect(state.outcome).toBe('timed_out');
    expect(dismissed).toEqual([['approval-1', 'timed_out']]);
    expect(broker.answer('approval-1', 'ten_minutes')).toBe(false);
    expect(broker.hasGrant(SIGN)).toBe(false);
  });

  it('takes another timeout', async () => {
    const { broker, clock, shown } = setup({ timeoutMs: 5_000 });
    const state = track(broker.request(SIGN));
    expect(shown[0]?.expiresAt).toBe(clock.time + 5_000);
    clock.advance(5_000);
    await settle();
    expect(state.outcome).toBe('timed_out');
    expect(() => new ApprovalBroker({ timeoutMs: 0 })).toThrow(RangeError);
  });

  it('grants the same client, tool and credential for exactly 10 minutes on "ten_minutes"', async () => {
    const { broker, clock } = setup();
    const result = broker.request(SIGN);
    clock.advance(30_000); // the person takes a while; the grant runs from the answer
    broker.answer('approval-1', 'ten_minutes');
    expect(await result).toBe('ten_minutes');

    expect(broker.hasGrant(SIGN)).toBe(true);
    expect(broker.hasGrant({ ...SIGN, client: 'other-agent' })).toBe(false);
    expect(broker.hasGrant({ ...SIGN, tool: 'pgp_decrypt' })).toBe(false);
    expect(broker.hasGrant({ ...SIGN, credential: 'personal key' })).toBe(false);
    expect(broker.hasGrant({ ...SIGN, credential: null })).toBe(false);

    clock.advance(10 * 60_000 - 1);
    expect(broker.hasGrant(SIGN)).toBe(true);
    clock.advance(1);
    expect(broker.hasGrant(SIGN)).toBe(false);
  });

  // Issue 14: the name is what the client says about itself; the grant is bound to the connection.
  it('never lets a grant cover another connection, whatever name it claims', async () => {
    const { broker } = setup();
    const result = broker.request(SIGN);
    broker.answer('approval-1', 'ten_minutes');
    await result;
    expect(broker.hasGrant(SIGN)).toBe(true);
    expect(broker.hasGrant({ ...SIGN, connection: 'socket:2' })).toBe(false);
    expect(broker.pending()).toEqual([]);
    void broker.request({ ...SIGN, connection: 'socket:2' });
    expect(broker.pending().map((p) => [p.connection, p.client])).toEqual([
      ['socket:2', 'claude-ai'],
    ]);
  });

  it('keeps scopes apart even when names contain separators', async () => {
    const { broker } = setup();
    const result = broker.request({ ...SIGN, client: 'a', tool: 'b|c' });
    broker.answer('approval-1', 'ten_minutes');
    await result;
    expect(broker.hasGrant({ ...SIGN, client: 'a', tool: 'b|c' })).toBe(true);
    expect(broker.hasGrant({ ...SIGN, client: 'a|b', tool: 'c' })).toBe(false);
  });

  it('on lock cancels every pending approval and drops every standing grant', async () => {
    const { broker, clock, dismissed } = setup();
    const granted = broker.request(SIGN);
    broker.answer('approval-1', 'ten_minutes');
    await granted;
    const first = broker.request({ ...SIGN, credential: 'other key' });
    const second = broker.request({ ...SIGN, tool: 'http_request', summary: 'GET /v1/me' });
    expect(broker.pending().map((p) => p.id)).toEqual(['approval-2', 'approval-3']);

    broker.cancelAll();
    expect(await first).toBe('cancelled');
    expect(await second).toBe('cancelled');
    expect(broker.pending()).toEqual([]);
    expect(broker.hasGrant(SIGN)).toBe(false);
    expect(clock.activeTimers).toBe(0);
    expect(dismissed.slice(1)).toEqual([
      ['approval-2', 'cancelled'],
      ['approval-3', 'cancelled'],
    ]);

    // After unlocking, asking works as before.
    const again = broker.request(SIGN);
    broker.answer('approval-4', 'once');
    expect(await again).toBe('once');
  });

  it('answers concurrent requests independently, in any order', async () => {
    const { broker, clock } = setup();
    const a = track(broker.request(SIGN));
    const b = track(broker.request({ ...SIGN, summary: 'second text' }));
    const c = track(broker.request({ ...SIGN, client: 'cursor' }));
    const d = track(broker.request({ ...SIGN, summary: 'fourth text' }));
    expect(broker.pending().map((p) => p.summary)).toEqual([
      SIGN.summary,
      'second text',
      SIGN.summary,
      'fourth text',
    ]);

    broker.answer('approval-2', 'deny');
    await settle();
    expect([a.outcome, b.outcome, c.outcome, d.outcome]).toEqual([
      undefined,
      'deny',
      undefined,
      undefined,
    ]);
    broker.answer('approval-3', 'ten_minutes');
    broker.answer('approval-1', 'once');
    clock.advance(60_000);
    await settle();
    expect([a.outcome, b.outcome, c.outcome, d.outcome]).toEqual([
      'once',
      'deny',
      'ten_minutes',
      'timed_out',
    ]);
    // The grant went to the client that was given it, not to the others.
    expect(broker.hasGrant({ ...SIGN, client: 'cursor' })).toBe(true);
    expect(broker.hasGrant(SIGN)).toBe(false);
  });

  it('works with a presenter that answers at once', async () => {
    const holder: { broker?: ApprovalBroker } = {};
    const { broker } = setup({ present: (approval) => holder.broker?.answer(approval.id, 'once') });
    holder.broker = broker;
    expect(await broker.request(SIGN)).toBe('once');
  });

  it('cancels at once, and logs, when the approval cannot be shown', async () => {
    const { broker, logs, clock } = setup({
      present: () => {
        throw new Error('no window');
      },
    });
    expect(await broker.request(SIGN)).toBe('cancelled');
    expect(logs.join('\n')).toContain('no window');
    expect(clock.activeTimers).toBe(0);
  });

  describe('headless (no presenter)', () => {
    it('denies every request unless the tool was allowed at start, without timers', async () => {
      const clock = new ManualClock();
      const broker = new ApprovalBroker({ clock, allowTools: ['http_request'] });
      expect(broker.headless).toBe(true);
      expect(await broker.request(SIGN)).toBe('deny');
      expect(await broker.request({ ...SIGN, tool: 'http_request' })).toBe('once');
      expect(broker.headlessAllows('http_request')).toBe(true);
      expect(broker.headlessAllows('pgp_sign')).toBe(false);
      expect(broker.pending()).toEqual([]);
      expect(clock.activeTimers).toBe(0);
    });

    it('denies everything with no allow list', async () => {
      const broker = new ApprovalBroker({ clock: new ManualClock() });
      expect(await broker.request({ ...SIGN, tool: 'http_request' })).toBe('deny');
    });
  });
});
