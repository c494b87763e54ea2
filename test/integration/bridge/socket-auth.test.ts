import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRIDGE_PROTOCOL_VERSION } from '../../../shared/bridge-protocol';
import { bridgeSocketPath } from '../../../electron/core/bridge';
import { RealCore } from './real-core';

// The headless core's socket, spoken to byte for byte the way another local
// program could: without proof of the agents' token nothing is answered but a refusal,
// the connection is closed, and nothing reaches a tool or the audit log.

let core: RealCore;
beforeAll(async () => {
  core = await RealCore.create();
});
afterAll(async () => {
  await core.dispose();
});

/**
 * Sends the lines, then collects every line until the core closes the
 * connection; the core's challenge, which comes first, is checked and left out.
 */
async function exchange(lines: unknown[]): Promise<Record<string, unknown>[]> {
  const [challenge, ...answers] = await exchangeAll(lines);
  expect(challenge).toMatchObject({
    v,
    type: 'challenge',
    nonce: expect.stringMatching(/^[0-9a-f]{64}$/),
  });
  return answers;
}

function exchangeAll(lines: unknown[]): Promise<Record<string, unknown>[]> {
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

describe('the core socket without the token', () => {
  it('refuses a tool call sent with no hello at all', async () => {
    const answers = await exchange([call]);
    expect(answers).toEqual([
      {
        v,
        id: null,
        error: {
          code: 'unauthorized',
          message: 'The first message must be a hello answering the challenge with the token.',
        },
      },
    ]);
  });

  it('refuses a hello with no proof', async () => {
    const answers = await exchange([{ v, type: 'hello', client }, call]);
    expect(answers.map((a) => (a.error as { code: string }).code)).toEqual(['unauthorized']);
  });

  it('refuses a hello with a wrong proof, and the call after it never runs', async () => {
    const answers = await exchange([{ v, type: 'hello', proof: 'f'.repeat(64), client }, call]);
    expect(answers).toEqual([
      { v, id: null, error: { code: 'unauthorized', message: 'The token is wrong.' } },
    ]);
    expect(await core.core.agents.audit.query({})).toEqual([]);
    expect(core.server?.connectionCount).toBe(0);
  });
});
