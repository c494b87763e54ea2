import { describe, expect, it } from 'vitest';
import { CustodianError } from '../../../shared/errors';
import { RpcServer, type RpcContext, type RpcReply } from '../../../shared/rpc';
import { memoryPair, settle } from './memory-pair';

// The answering side, driven by hand-written calls over an in-memory pair.

function setup(options: { maxInFlight?: number; maxQueued?: number } = {}) {
  const { caller, callee } = memoryPair();
  const replies: RpcReply[] = [];
  caller.onMessage((reply) => replies.push(reply));
  const started: { method: string; params: unknown; context: RpcContext }[] = [];
  const gates = new Map<unknown, (result: unknown) => void>();
  const backpressure: boolean[] = [];
  const server = new RpcServer(callee, {
    ...options,
    onBackpressure: (waiting) => backpressure.push(waiting),
    handle: (method, params, context) => {
      started.push({ method, params, context });
      if (method === 'fail') throw new TypeError('a bug with /secret/path in it');
      if (method === 'refuse') return Promise.reject(new CustodianError('vault_locked', 'Locked.'));
      return new Promise((resolve) => gates.set(context.id, resolve));
    },
  });
  const request = (id: number | string, method = 'slow', params: unknown = {}) =>
    caller.send({ type: 'request', id, method, params });
  return { caller, callee, server, replies, started, gates, backpressure, request };
}

describe('RpcServer', () => {
  it('refuses an id already running with duplicate_id and answers the original normally', async () => {
    const { request, replies, gates, started } = setup();
    request('a');
    request('a');
    await settle();
    expect(started).toHaveLength(1);
    expect(replies).toEqual([
      {
        type: 'error',
        id: 'a',
        error: { code: 'duplicate_id', message: 'Request id a is already in flight.' },
      },
    ]);
    gates.get('a')?.('done');
    await settle();
    expect(replies[1]).toEqual({ type: 'result', id: 'a', result: 'done' });
  });

  it('keeps 1 and "1" apart', async () => {
    const { request, started } = setup();
    request(1);
    request('1');
    await settle();
    expect(started.map((s) => s.context.id)).toEqual([1, '1']);
  });

  it('aborts a running handler’s signal on cancel; an unknown cancel does nothing', async () => {
    const { caller, request, started, replies } = setup();
    request(1);
    request(2);
    await settle();
    caller.send({ type: 'cancel', id: 1 });
    caller.send({ type: 'cancel', id: 42 });
    await settle();
    expect(started.map((s) => s.context.signal.aborted)).toEqual([true, false]);
    expect(replies).toEqual([]);
  });

  it('never starts a waiting request that is cancelled, and answers it cancelled', async () => {
    const { caller, request, started, replies, gates, backpressure } = setup({ maxInFlight: 1 });
    request(1);
    request(2);
    await settle();
    caller.send({ type: 'cancel', id: 2 });
    await settle();
    expect(replies).toEqual([
      {
        type: 'error',
        id: 2,
        error: { code: 'cancelled', message: 'The request was cancelled before it started.' },
      },
    ]);
    expect(backpressure).toEqual([true, false]);
    gates.get(1)?.('one');
    await settle();
    expect(started.map((s) => s.context.id)).toEqual([1]);
  });

  it('queues past maxInFlight in order and answers busy past maxQueued', async () => {
    const { request, started, replies, gates, backpressure } = setup({
      maxInFlight: 1,
      maxQueued: 1,
    });
    request(1);
    request(2);
    request(3);
    await settle();
    expect(replies).toEqual([
      {
        type: 'error',
        id: 3,
        error: { code: 'busy', message: 'Too many requests waiting; wait for answers.' },
      },
    ]);
    gates.get(1)?.('one');
    await settle();
    expect(started.map((s) => s.context.id)).toEqual([1, 2]);
    expect(backpressure).toEqual([true, false]);
  });

  it('carries a handler’s {code, message} and hides any other failure as internal', async () => {
    const { request, replies } = setup();
    request(1, 'refuse');
    request(2, 'fail');
    await settle();
    expect(replies.sort((a, b) => Number(a.id) - Number(b.id))).toEqual([
      { type: 'error', id: 1, error: { code: 'vault_locked', message: 'Locked.' } },
      {
        type: 'error',
        id: 2,
        error: { code: 'internal', message: 'The request failed inside the server.' },
      },
    ]);
  });

  it('answers a result the transport cannot carry with the reason instead', async () => {
    const { callee, request, replies, gates } = setup();
    callee.refuse = (message) =>
      message.type === 'result'
        ? new CustodianError('frame_too_large', 'The result is too large to send.')
        : undefined;
    request(1);
    await settle();
    gates.get(1)?.('x'.repeat(10));
    await settle();
    expect(replies).toEqual([
      {
        type: 'error',
        id: 1,
        error: { code: 'frame_too_large', message: 'The result is too large to send.' },
      },
    ]);
  });

  it('aborts every running handler when the transport closes and starts nothing more', async () => {
    const { caller, request, started } = setup({ maxInFlight: 1 });
    request(1);
    request(2);
    await settle();
    caller.close();
    expect(started.map((s) => s.context.signal.aborted)).toEqual([true]);
  });
});
