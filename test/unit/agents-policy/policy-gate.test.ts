import * as fs from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ApprovalBroker,
  type PendingApproval,
} from '../../../electron/core/agents/policy/approvals';
import {
  PolicyGate,
  TOOL_OFF_MESSAGE,
  type ToolCallRequest,
} from '../../../electron/core/agents/policy/policy-gate';
import { RateLimiter } from '../../../electron/core/agents/policy/rate-limiter';
import { ToolPolicyStore } from '../../../electron/core/agents/policy/tool-policy';
import { ManualClock } from './manual-clock';

// Policy, rate limit, standing grants and the broker together, on a real
// policy file in a temporary folder, with a clock the test moves by hand.

const SIGN: ToolCallRequest = {
  connection: 'socket:1',
  client: 'claude-ai',
  tool: { name: 'pgp_sign', readOnly: false },
  credential: 'work key',
  summary: 'Text to sign:\nhello',
  payloadHash: 'sha256:1',
};
const LIST: ToolCallRequest = {
  connection: 'socket:1',
  client: 'claude-ai',
  tool: { name: 'list_credentials', readOnly: true },
  credential: null,
  summary: 'list credentials',
  payloadHash: 'sha256:2',
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'custodian-gate-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function setup(options: { headless?: boolean; allowTools?: string[] } = {}) {
  const clock = new ManualClock();
  const shown: PendingApproval[] = [];
  const waiters: Array<(approval: PendingApproval) => void> = [];
  /** Resolves with the next approval shown; waits on the event itself, not on time. */
  const nextShown = () => new Promise<PendingApproval>((resolve) => waiters.push(resolve));
  const policy = new ToolPolicyStore({ dataDir: dir, fs });
  const broker = new ApprovalBroker({
    clock,
    allowTools: options.allowTools,
    ...(options.headless
      ? {}
      : {
          present: (approval) => {
            shown.push(approval);
            waiters.shift()?.(approval);
          },
        }),
  });
  const rateLimiter = new RateLimiter({ clock });
  const gate = new PolicyGate({ policy, broker, rateLimiter });
  /** Starts a decision and answers the approval it shows. */
  const decideAnswering = async (
    call: ToolCallRequest,
    decision: 'deny' | 'once' | 'ten_minutes',
  ) => {
    const shownNow = nextShown();
    const result = gate.decide(call);
    broker.answer((await shownNow).id, decision);
    return result;
  };
  return { clock, shown, policy, broker, rateLimiter, gate, nextShown, decideAnswering };
}

describe('PolicyGate.decide', () => {
  it('refuses an off tool without asking anyone', async () => {
    const { gate, policy, shown } = setup();
    await policy.set(SIGN.tool, 'off');
    const result = await gate.decide(SIGN);
    expect(result).toMatchObject({ allowed: false, decision: 'policy', outcome: 'off' });
    expect(!result.allowed && result.message).toContain(TOOL_OFF_MESSAGE);
    expect(TOOL_OFF_MESSAGE).toBe('the tool is turned off in Custodian');
    expect(shown).toEqual([]);
  });

  it('lets an allowed tool through on policy alone', async () => {
    const { gate, shown } = setup();
    expect(await gate.decide(LIST)).toEqual({
      allowed: true,
      decision: 'policy',
      outcome: 'allow',
    });
    expect(shown).toEqual([]);
  });

  it('asks the person for an ask tool, showing the exact payload', async () => {
    const { decideAnswering, shown } = setup();
    expect(await decideAnswering(SIGN, 'once')).toEqual({
      allowed: true,
      decision: 'person',
      outcome: 'once',
    });
    expect(shown[0]).toMatchObject({
      client: 'claude-ai',
      tool: 'pgp_sign',
      credential: 'work key',
      summary: 'Text to sign:\nhello',
      payloadHash: 'sha256:1',
    });
    // Once does not carry over to the next call.
    await decideAnswering(SIGN, 'deny');
    expect(shown).toHaveLength(2);
  });

  it('refuses with a message saying why when the person denies, nobody answers, or the vault locks', async () => {
    const { gate, decideAnswering, clock, broker, nextShown } = setup();
    const denied = await decideAnswering(SIGN, 'deny');
    expect(denied).toMatchObject({ allowed: false, decision: 'person', outcome: 'deny' });
    expect(!denied.allowed && denied.message).toContain('denied');

    let shownNow = nextShown();
    const waiting = gate.decide(SIGN);
    await shownNow;
    clock.advance(60_000);
    const timedOut = await waiting;
    expect(timedOut).toMatchObject({ allowed: false, decision: 'person', outcome: 'timed_out' });
    expect(!timedOut.allowed && timedOut.message).toContain('60 s');

    shownNow = nextShown();
    const locked = gate.decide(SIGN);
    await shownNow;
    broker.cancelAll();
    const cancelled = await locked;
    expect(cancelled).toMatchObject({ allowed: false, decision: 'person', outcome: 'cancelled' });
    expect(!cancelled.allowed && cancelled.message).toContain('unlock Custodian');
  });

  it('says the agent withdrew a call whose signal fired, not that Custodian was locked', async () => {
    const { gate, nextShown } = setup();
    const controller = new AbortController();
    const shownNow = nextShown();
    const waiting = gate.decide({ ...SIGN, signal: controller.signal });
    await shownNow;
    controller.abort();
    const withdrawn = await waiting;
    expect(withdrawn).toMatchObject({ allowed: false, decision: 'person', outcome: 'cancelled' });
    expect(!withdrawn.allowed && withdrawn.message).toBe(
      'The agent withdrew this pgp_sign call before the person answered in Custodian.',
    );
  });

  it('lets later calls through on a ten-minute grant, for that client, tool and credential only', async () => {
    const { gate, decideAnswering, clock, shown } = setup();
    expect(await decideAnswering(SIGN, 'ten_minutes')).toEqual({
      allowed: true,
      decision: 'person',
      outcome: 'ten_minutes',
    });
    expect(await gate.decide({ ...SIGN, summary: 'other text' })).toEqual({
      allowed: true,
      decision: 'standing_grant',
      outcome: 'granted',
    });
    expect(shown).toHaveLength(1);

    // Another credential, client or tool still asks.
    await decideAnswering({ ...SIGN, credential: 'personal key' }, 'deny');
    await decideAnswering({ ...SIGN, client: 'cursor' }, 'deny');
    await decideAnswering({ ...SIGN, tool: { name: 'pgp_decrypt', readOnly: false } }, 'deny');
    expect(shown).toHaveLength(4);

    clock.advance(10 * 60_000 - 1);
    expect((await gate.decide(SIGN)).decision).toBe('standing_grant');
    clock.advance(1);
    expect(await decideAnswering(SIGN, 'deny')).toMatchObject({ decision: 'person' });
    expect(shown).toHaveLength(5);
  });

  it('ends grants on lock, and turning a tool off beats a grant', async () => {
    const { gate, decideAnswering, broker, policy, shown } = setup();
    await decideAnswering(SIGN, 'ten_minutes');
    await policy.set(SIGN.tool, 'off');
    expect(await gate.decide(SIGN)).toMatchObject({ allowed: false, decision: 'policy' });
    await policy.set(SIGN.tool, 'ask');
    expect((await gate.decide(SIGN)).decision).toBe('standing_grant');

    broker.cancelAll();
    await decideAnswering(SIGN, 'once');
    expect(shown).toHaveLength(2);
  });

  it('stops a runaway agent with the rate limit before asking anyone', async () => {
    const { gate, decideAnswering, policy, shown, clock } = setup();
    for (let i = 0; i < 10; i++) expect((await gate.decide(LIST)).allowed).toBe(true);
    const limited = await gate.decide(LIST);
    expect(limited).toEqual({
      allowed: false,
      decision: 'rate_limit',
      outcome: 'rate_limited',
      message: 'list_credentials was called more than 30 times a minute; wait 2 s',
      retryAfterMs: 2_000,
    });
    clock.advance(2_000);
    expect((await gate.decide(LIST)).allowed).toBe(true);

    // Under a standing grant too, and without a dialog.
    await decideAnswering(SIGN, 'ten_minutes');
    for (let i = 0; i < 9; i++) expect((await gate.decide(SIGN)).decision).toBe('standing_grant');
    expect(await gate.decide(SIGN)).toMatchObject({ allowed: false, decision: 'rate_limit' });
    expect(shown).toHaveLength(1);

    // An off tool is refused by policy and spends none of its budget.
    await policy.set({ name: 'http_request', readOnly: false }, 'off');
    const http = { ...SIGN, tool: { name: 'http_request', readOnly: false } };
    for (let i = 0; i < 20; i++) expect((await gate.decide(http)).decision).toBe('policy');
  });

  describe('headless', () => {
    it('denies ask tools not listed at start, and says how to allow them', async () => {
      const { gate } = setup({ headless: true });
      const result = await gate.decide(SIGN);
      expect(result).toMatchObject({ allowed: false, decision: 'headless', outcome: 'deny' });
      expect(!result.allowed && result.message).toContain('--allow-tools pgp_sign');
      // Allowed tools need no list.
      expect(await gate.decide(LIST)).toMatchObject({ allowed: true, decision: 'policy' });
    });

    it('lets listed ask tools through, but never an off tool', async () => {
      const { gate, policy } = setup({ headless: true, allowTools: ['pgp_sign', 'http_request'] });
      expect(await gate.decide(SIGN)).toEqual({
        allowed: true,
        decision: 'headless',
        outcome: 'allow',
      });
      await policy.set(SIGN.tool, 'off');
      expect(await gate.decide(SIGN)).toMatchObject({ allowed: false, decision: 'policy' });
    });
  });
});
