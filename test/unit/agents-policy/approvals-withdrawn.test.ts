import { describe, expect, it } from 'vitest';
import {
  ApprovalBroker,
  type ApprovalOutcome,
  type ApprovalRequest,
  type PendingApproval,
} from '../../../electron/core/agents/policy/approvals';
import { ManualClock } from './manual-clock';

// An agent that withdraws its call (MCP notifications/cancelled reaches the
// broker as an AbortSignal): the approval leaves the window at once.

const SIGN: ApprovalRequest = {
  connection: 'socket:1',
  client: 'claude-ai',
  tool: 'pgp_sign',
  credential: 'work key',
  summary: 'Text to sign',
  payloadHash: 'sha256:abc123',
};

function setup() {
  const shown: PendingApproval[] = [];
  const dismissed: Array<[string, ApprovalOutcome]> = [];
  const broker = new ApprovalBroker({
    present: (approval) => shown.push(approval),
    dismiss: (id, outcome) => dismissed.push([id, outcome]),
    clock: new ManualClock(),
    newId: () => 'approval-1',
  });
  return { broker, shown, dismissed };
}

describe('ApprovalBroker with a signal', () => {
  it('settles a waiting approval as cancelled when the signal fires, and dismisses it', async () => {
    const { broker, dismissed } = setup();
    const controller = new AbortController();
    const result = broker.request(SIGN, controller.signal);
    expect(broker.pending()).toHaveLength(1);
    controller.abort();
    expect(await result).toBe('cancelled');
    expect(broker.pending()).toEqual([]);
    expect(dismissed).toEqual([['approval-1', 'cancelled']]);
    // Too late to answer.
    expect(broker.answer('approval-1', 'once')).toBe(false);
  });

  it('never shows an approval whose signal already fired', async () => {
    const { broker, shown } = setup();
    const controller = new AbortController();
    controller.abort();
    expect(await broker.request(SIGN, controller.signal)).toBe('cancelled');
    expect(shown).toEqual([]);
  });

  it('ignores the signal once the person answered', async () => {
    const { broker, dismissed } = setup();
    const controller = new AbortController();
    const result = broker.request(SIGN, controller.signal);
    broker.answer('approval-1', 'once');
    controller.abort();
    expect(await result).toBe('once');
    expect(dismissed).toEqual([['approval-1', 'once']]);
  });

  it('tells the window which approvals the agent withdrew, and that a lock is no withdrawal', async () => {
    const withdrawals: Array<[string, boolean, string, string]> = [];
    let next = 0;
    const broker = new ApprovalBroker({
      present: () => undefined,
      dismiss: (id, _outcome, { approval, withdrawn }) =>
        withdrawals.push([id, withdrawn, approval.client, approval.tool]),
      clock: new ManualClock(),
      newId: () => `approval-${++next}`,
    });
    const controller = new AbortController();
    const withdrawnCall = broker.request(SIGN, controller.signal);
    const lockedCall = broker.request(
      { ...SIGN, tool: 'http_request' },
      new AbortController().signal,
    );
    controller.abort();
    broker.cancelAll();
    expect([await withdrawnCall, await lockedCall]).toEqual(['cancelled', 'cancelled']);
    expect(withdrawals).toEqual([
      ['approval-1', true, 'claude-ai', 'pgp_sign'],
      ['approval-2', false, 'claude-ai', 'http_request'],
    ]);
  });
});
