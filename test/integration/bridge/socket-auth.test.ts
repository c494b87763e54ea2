import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRIDGE_PROTOCOL_VERSION } from '../../../shared/bridge-protocol';
import { bridgeSocketPath } from '../../../electron/core/bridge';
import { RealCore } from './real-core';

// The headless core's socket, spoken to byte for byte the way another local
// program could: without the install token nothing is answered but a refusal,
// the connection is closed, and nothing reaches a tool or the audit log.

let core: RealCore;
beforeAll(async () => {
  core = await RealCore.create();
});
afterAll(async () => {
  await core.dispose();
});

/** Sends the lines, then collects every line until the core closes the connection. */
function exchange(lines: unknown[]): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(bridgeSocketPath(core.dataDir));
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () =>
      resolve(
        text
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Record<string, unknown>),
      ),
    );
    socket.on('connect', () => {
      for (const line of lines) socket.write(`${JSON.stringify(line)}\n`);
    });
  });
}

const v = BRIDGE_PROTOCOL_VERSION;
const call = {
  v,
  id: 1,
  method: 'tools:call',
  params: { name: 'list_credentials', arguments: {} },
};
const client = { name: 'intruder', version: '1' };

describe('the core socket without the install token', () => {
  it('refuses a tool call sent with no hello at all', async () => {
    const answers = await exchange([call]);
    expect(answers).toEqual([
      {
        v,
        id: null,
        error: {
          code: 'unauthorized',
          message: 'The first message must be a hello with the install token.',
        },
      },
    ]);
  });

  it('refuses a hello with no token', async () => {
    const answers = await exchange([{ v, type: 'hello', client }, call]);
    expect(answers.map((a) => (a.error as { code: string }).code)).toEqual(['unauthorized']);
  });

  it('refuses a hello with a wrong token, and the call after it never runs', async () => {
    const answers = await exchange([{ v, type: 'hello', token: 'f'.repeat(64), client }, call]);
    expect(answers).toEqual([
      { v, id: null, error: { code: 'unauthorized', message: 'The token is wrong.' } },
    ]);
    expect(await core.core.agents.audit.query({})).toEqual([]);
    expect(core.server?.connectionCount).toBe(0);
  });
});
