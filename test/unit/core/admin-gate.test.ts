import { describe, expect, it } from 'vitest';
import type { AdminQuestion } from '../../../electron/core/agents/agent-service';
import type { ApprovalOutcome } from '../../../electron/core/agents/policy';
import {
  ADMIN_CLOSED_MESSAGE,
  AdminGate,
  type AdminMode,
} from '../../../electron/core/use-cases/admin-gate';
import { weakeningOf } from '../../../electron/core/use-cases/weakening';

// The gate's rules with the person's answers scripted and the clock in hand;
// the real broker, window and socket are in test/integration/admin and e2e.

function gate(mode: AdminMode, answers: ApprovalOutcome[] = [], vault = 'unlocked') {
  const asked: AdminQuestion[] = [];
  let time = 0;
  const instance = new AdminGate({
    mode,
    ask: async (question) => {
      asked.push(question);
      return answers.shift() ?? 'deny';
    },
    vault: { state: async () => vault as 'unlocked' },
    now: () => time,
  });
  return { gate: instance, asked, advance: (ms: number) => (time += ms) };
}

const context = { roles: ['cli'] as const, channel: 'admin' as const, connection: '7' };

describe('AdminGate', () => {
  it('closed: refuses everything with the message that says how to open it', async () => {
    const { gate: closed, asked } = gate('closed');
    await expect(closed.admit('credentials.list', {}, context)).rejects.toMatchObject({
      code: 'forbidden',
      message: ADMIN_CLOSED_MESSAGE,
    });
    expect(ADMIN_CLOSED_MESSAGE).toContain(
      'whoever can run commands as this user can then change everything',
    );
    expect(asked).toEqual([]);
  });

  it('open (serve --admin): lets even a weakening change through, asking nobody', async () => {
    const { gate: open, asked } = gate('open');
    await open.admit('tools.setMode', { name: 'http_request', mode: 'allow' }, context);
    expect(asked).toEqual([]);
  });

  it('ask: one session question for concurrent first requests', async () => {
    const { gate: ask, asked } = gate('ask', ['once']);
    await Promise.all([
      ask.admit('credentials.list', {}, context),
      ask.admit('tools.list', {}, context),
    ]);
    expect(asked.map((q) => q.subject)).toEqual(['command line session']);
    expect(ask.sessionOpen).toBe(true);
  });

  it('ask: the session lasts while used, ends after 10 idle minutes and at lock', async () => {
    const { gate: ask, asked, advance } = gate('ask', ['once', 'once', 'once']);
    await ask.admit('tools.list', {}, context);
    advance(9 * 60_000);
    await ask.admit('tools.list', {}, context);
    advance(9 * 60_000);
    await ask.admit('tools.list', {}, context);
    expect(asked).toHaveLength(1);
    advance(10 * 60_000);
    expect(ask.sessionOpen).toBe(false);
    await ask.admit('tools.list', {}, context);
    expect(asked).toHaveLength(2);
    ask.endSession();
    await ask.admit('tools.list', {}, context);
    expect(asked).toHaveLength(3);
  });

  it('ask: refuses while the vault is locked, without asking (nobody could answer)', async () => {
    const { gate: ask, asked } = gate('ask', [], 'locked');
    await expect(ask.admit('tools.list', {}, context)).rejects.toMatchObject({
      code: 'vault_locked',
    });
    expect(asked).toEqual([]);
  });
});

describe('weakeningOf', () => {
  it('names each change that weakens protection, and only those', () => {
    expect(weakeningOf('tools.setMode', { name: 'x', mode: 'allow' })?.what).toBe(
      'Set the tool x to allow: agents may run it without asking you.',
    );
    expect(weakeningOf('tools.setMode', { name: 'x', mode: 'ask' })).toBeNull();
    expect(weakeningOf('tools.setMode', { name: 'x', mode: 'off' })).toBeNull();
    const install = {
      source: { kind: 'file', path: '/tmp/p.tgz' },
      allowUnsigned: false,
      allowDowngrade: false,
      acceptChanges: false,
    };
    expect(weakeningOf('plugins.install', install)).toBeNull();
    expect(weakeningOf('plugins.install', { ...install, allowUnsigned: true })).toEqual({
      what: 'Install the plugin from the file /tmp/p.tgz, even if nobody vouches for it (unsigned).',
      short: 'plugin install (unsigned)',
    });
    expect(
      weakeningOf('plugins.install', {
        ...install,
        source: { kind: 'name', name: 'pgp', version: '1.0.0' },
        allowDowngrade: true,
      })?.what,
    ).toBe(
      'Install the plugin pgp@1.0.0, even if it is older than the installed version (downgrade).',
    );
    expect(weakeningOf('plugins.update', { name: 'pgp', acceptChanges: false })).toBeNull();
    expect(weakeningOf('plugins.update', { name: 'pgp', acceptChanges: true })?.what).toMatch(
      /^Update the plugin pgp, accepting wider capabilities/,
    );
    expect(
      weakeningOf('catalogs.add', { url: 'https://c.example/c.json', publicKey: 'K' })?.what,
    ).toBe(
      'Add the catalog https://c.example/c.json (signing key K): the plugins it lists install as vouched for.',
    );
    expect(weakeningOf('credentials.remove', { name: 'GitHub' })).toEqual({
      what: 'Remove the credential "GitHub" for good.',
      short: 'credential "GitHub" removed',
    });
    for (const harmless of [
      'credentials.add',
      'catalogs.remove',
      'plugins.remove',
      'vault.lock',
    ] as const)
      expect(weakeningOf(harmless, {})).toBeNull();
  });
});
