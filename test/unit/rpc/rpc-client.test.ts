import { describe, expect, it } from 'vitest';
import { CustodianError } from '../../../shared/errors';
import { RpcClient, RpcServer, type RpcContext } from '../../../shared/rpc';
import { FakeTimers, memoryPair, settle } from './memory-pair';

// The calling side over an in-memory pair, with a clock moved by hand.

function setup(
  handle?: (method: string, params: unknown, context: RpcContext) => Promise<unknown>,
) {
  const { caller, callee } = memoryPair();
  const timers = new FakeTimers();
  const client = new RpcClient(caller, { timers, defaultTimeoutMs: 1_000 });
  const contexts: RpcContext[] = [];
  const server = handle
    ? new RpcServer(callee, {
        handle: (method, params, context) => {
          contexts.push(context);
          return handle(method, params, context);
        },
      })
    : undefined;
  return { caller, callee, timers, client, server, contexts };
}

const never = () => new Promise<never>(() => {});

/** The id of the n-th message the caller sent. */
function sentId(caller: { sent: { id: number | string }[] }, index: number): number | string {
  const message = caller.sent[index];
  if (!message) throw new Error(`nothing sent at ${index}`);
  return message.id;
}

function codeOf(error: unknown): unknown {
  return (error as { code?: unknown }).code;
}

describe('RpcClient ids', () => {
  it('gives each call its own id and settles each with its own answer, in any order', async () => {
    const { caller, callee, client } = setup();
    const first = client.call('echo', 'a');
    const second = client.call('echo', 'b');
    await settle();
    const ids = caller.sent.map((m) => m.id);
    expect(new Set(ids).size).toBe(2);
    callee.send({ type: 'result', id: sentId(caller, 1), result: 'B' });
    callee.send({ type: 'result', id: sentId(caller, 0), result: 'A' });
    expect(await first).toBe('A');
    expect(await second).toBe('B');
    expect(client.inFlight).toBe(0);
  });

  it('drops answers for unknown ids and a second answer for the same id', async () => {
    const { caller, callee, client } = setup();
    const call = client.call('echo', 1);
    await settle();
    const id = sentId(caller, 0);
    callee.send({ type: 'result', id: 999, result: 'stray' });
    callee.send({ type: 'result', id, result: 'first' });
    callee.send({ type: 'error', id, error: { code: 'late', message: 'second answer' } });
    expect(await call).toBe('first');
    await settle();
    expect(client.inFlight).toBe(0);
  });
});

describe('RpcClient deadlines', () => {
  it('rejects timeout at the deadline, not before, and tells the other side to stop', async () => {
    const { caller, timers, client } = setup();
    const outcome = client.call('slow', {}, { timeoutMs: 100 }).catch((error: unknown) => error);
    timers.advance(99);
    await settle();
    expect(caller.sent.map((m) => m.type)).toEqual(['request']);
    timers.advance(1);
    const error = await outcome;
    expect(codeOf(error)).toBe('timeout');
    expect(caller.sent[1]).toEqual({ type: 'cancel', id: sentId(caller, 0) });
    expect(timers.scheduled).toBe(0);
  });

  it('clears the deadline once answered', async () => {
    const { client, timers } = setup(async () => 'ok');
    expect(await client.call('fast', {})).toBe('ok');
    expect(timers.scheduled).toBe(0);
  });

  it('words the timeout as the channel asks', async () => {
    const { caller } = memoryPair();
    const timers = new FakeTimers();
    const client = new RpcClient(caller, {
      timers,
      describeTimeout: (method, ms) => `Custodian did not answer ${method} in ${ms} ms.`,
    });
    const outcome = client.call('ping', {}, { timeoutMs: 5 }).catch((error: Error) => error);
    timers.advance(5);
    expect(((await outcome) as Error).message).toBe('Custodian did not answer ping in 5 ms.');
  });
});

describe('RpcClient cancel', () => {
  it('refuses a call whose signal already fired, sending nothing', async () => {
    const { caller, client } = setup();
    const controller = new AbortController();
    controller.abort();
    const error = await client
      .call('tool', {}, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(codeOf(error)).toBe('cancelled');
    await settle();
    expect(caller.sent).toEqual([]);
  });

  it('withdraws a call in flight: rejects cancelled, sends cancel, the handler sees its signal fire', async () => {
    const { caller, client, contexts, timers } = setup(never);
    const controller = new AbortController();
    const outcome = client
      .call('tool', {}, { signal: controller.signal })
      .catch((error: unknown) => error);
    await settle();
    expect(contexts[0]?.signal.aborted).toBe(false);
    controller.abort();
    expect(codeOf(await outcome)).toBe('cancelled');
    await settle();
    expect(caller.sent[1]).toEqual({ type: 'cancel', id: sentId(caller, 0) });
    expect(contexts[0]?.signal.aborted).toBe(true);
    expect(timers.scheduled).toBe(0);
  });

  it('ignores the signal once the call is answered', async () => {
    const { caller, client } = setup(async () => 'done');
    const controller = new AbortController();
    expect(await client.call('tool', {}, { signal: controller.signal })).toBe('done');
    controller.abort();
    await settle();
    expect(caller.sent.map((m) => m.type)).toEqual(['request']);
  });
});

describe('RpcClient transport', () => {
  it('fails every call in flight when the transport closes, and refuses new ones after close()', async () => {
    const { caller, client } = setup();
    const a = client.call('a', {}).catch((error: unknown) => error);
    const b = client.call('b', {}).catch((error: unknown) => error);
    caller.close();
    expect(codeOf(await a)).toBe('disconnected');
    expect(codeOf(await b)).toBe('disconnected');
    client.close();
    expect(codeOf(await client.call('c', {}).catch((error: unknown) => error))).toBe(
      'disconnected',
    );
  });

  it('rejects with the port’s own error when it cannot send, leaving nothing pending', async () => {
    const { caller, client, timers } = setup();
    caller.refuse = () => new CustodianError('frame_too_large', 'too large');
    const error = await client.call('big', 'x').catch((e: unknown) => e);
    expect(codeOf(error)).toBe('frame_too_large');
    expect(client.inFlight).toBe(0);
    expect(timers.scheduled).toBe(0);
  });
});

describe('RpcClient errors', () => {
  it('carries a handler’s {code, message} to the caller', async () => {
    const { client } = setup(async () => {
      throw new CustodianError('not_found', 'No credential named "x".');
    });
    const error = (await client.call('find', {}).catch((e: unknown) => e)) as Error;
    expect({ code: codeOf(error), message: error.message }).toEqual({
      code: 'not_found',
      message: 'No credential named "x".',
    });
  });

  it('builds the rejection with the channel’s own error type', async () => {
    class ChannelError extends Error {
      constructor(
        readonly code: string,
        message: string,
      ) {
        super(message);
      }
    }
    const { caller, callee } = memoryPair();
    const client = new RpcClient(caller, {
      timers: new FakeTimers(),
      toError: (body) => new ChannelError(body.code, body.message),
    });
    new RpcServer(callee, {
      handle: async () => {
        throw new CustodianError('vault_locked', 'locked');
      },
    });
    const error = await client.call('x', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelError);
    expect(codeOf(error)).toBe('vault_locked');
  });
});
