import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeSocketPath } from '../../../electron/core/bridge';
import { BridgeClient } from '../../../electron/core/bridge/socket-client';
import { readInstallToken } from '../../../electron/core/bridge/token';
import { eventually } from '../../support/eventually';
import { echoArgs, RealCore } from '../bridge/real-core';

// Issue 14: "Allow for 10 minutes" was keyed by the name an MCP client reports
// about itself, so any other connection claiming that name rode on the grant.
// Two real bridge connections to a real core, both calling themselves
// "claude-ai": the grant given to the first does not cover the second, and
// the audit log tells their calls apart.

const NAME = 'claude-ai';
let real: RealCore;
const clients: BridgeClient[] = [];

async function connection(): Promise<BridgeClient> {
  const token = await readInstallToken(real.dataDir);
  if (!token) throw new Error('no install token');
  const client = new BridgeClient({
    path: bridgeSocketPath(real.dataDir),
    token,
    client: { name: NAME, version: '1.0' },
    reconnect: false,
  });
  clients.push(client);
  await client.connect();
  return client;
}

/** The one approval waiting now, once the call has reached the person. */
const waitingApproval = () =>
  eventually(
    () => {
      const [only, ...more] = real.core.agents.pending();
      expect(more).toEqual([]);
      return only ?? false;
    },
    { message: 'a call waiting for the person' },
  );

const echo = (client: BridgeClient, message: string) =>
  client.call('tools:call', { name: 'fixture_echo', arguments: echoArgs(message) });

beforeAll(async () => {
  real = await RealCore.create({ approvals: { kind: 'window' } });
}, 120_000);

afterAll(async () => {
  for (const client of clients.splice(0)) await client.close();
  await real?.dispose();
});

describe('a standing grant', () => {
  it('covers only the connection it was given to, whatever name another claims', async () => {
    const a = await connection();
    const b = await connection();

    const first = echo(a, 'first from A');
    const asked = await waitingApproval();
    expect(asked.client).toBe(NAME);
    expect(real.core.agents.answer(asked.id, 'ten_minutes')).toBe(true);
    expect((await first).isError).toBeFalsy();

    // The same connection goes through without asking again.
    const again = await echo(a, 'again from A');
    expect(again.isError).toBeFalsy();
    expect(real.core.agents.pending()).toEqual([]);

    // Another connection with the very same name is asked, and the person denies it.
    const second = echo(b, 'from B');
    const askedAgain = await waitingApproval();
    expect(askedAgain.client).toBe(NAME);
    expect(real.core.agents.answer(askedAgain.id, 'deny')).toBe(true);
    const refused = await second;
    expect(refused.isError).toBe(true);
    expect(JSON.stringify(refused)).toContain('denied');

    // The audit log names each connection, not just the name both claimed.
    const records = await real.core.dispatch('audit:query', { tool: 'fixture_echo' });
    if (!('result' in records)) throw new Error('audit:query failed');
    const byOutcome = (outcome: string) =>
      new Set(records.result.filter((r) => r.outcome === outcome).map((r) => r.client));
    const [fromA] = byOutcome('succeeded');
    const [fromB] = byOutcome('denied');
    expect(byOutcome('succeeded').size).toBe(1);
    expect(fromA).toMatch(new RegExp(`^${NAME} \\(connection \\d+\\)$`));
    expect(fromB).toMatch(new RegExp(`^${NAME} \\(connection \\d+\\)$`));
    expect(fromB).not.toBe(fromA);
  });
});
