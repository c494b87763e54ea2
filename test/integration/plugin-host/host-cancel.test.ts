import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostProcess, pluginInput } from './host-process';

// Cancel through the real host process: a call still queued behind another
// never starts, and a running one has its worker terminated; either way the
// request is answered once, 'cancelled', and the plugin works afterwards.

let host: HostProcess;

beforeAll(async () => {
  host = new HostProcess();
  await host.ready;
  expect((await host.load('echo')).ok).toBe(true);
  // A long limit: only the cancel can end a spin in time for the test.
  expect((await host.load('loop-call', { limits: { timeoutMs: 30_000 } })).ok).toBe(true);
});
afterAll(async () => {
  await host.stop();
});

describe('cancel', () => {
  it('answers a queued call cancelled without running it, and stops the running one', async () => {
    const running = host.start({ kind: 'call', plugin: 'loop-call', input: pluginInput('spin') });
    const queued = host.start({ kind: 'call', plugin: 'loop-call', input: pluginInput('spin') });
    host.cancel(queued.id);
    // Calls to one plugin run one at a time, and the first still spins: the
    // second was answered without ever starting.
    expect(await queued.response).toMatchObject({ ok: false, failure: 'cancelled' });
    expect(host.answers(running.id)).toBe(0);
    host.cancel(running.id);
    expect(await running.response).toMatchObject({ ok: false, failure: 'cancelled' });
    expect(host.answers(running.id)).toBe(1);
    expect(host.answers(queued.id)).toBe(1);
    expect(host.alive).toBe(true);
  });

  it('gives the plugin a fresh worker after its running call was cancelled', async () => {
    const spin = host.start({ kind: 'call', plugin: 'loop-call', input: pluginInput('spin') });
    host.cancel(spin.id);
    expect(await spin.response).toMatchObject({ ok: false, failure: 'cancelled' });
    const again = host.start({ kind: 'call', plugin: 'loop-call', input: pluginInput('spin') });
    // The plugin still takes calls: this one spins on a new worker until cancelled.
    host.cancel(again.id);
    expect(await again.response).toMatchObject({ ok: false, failure: 'cancelled' });
    const echo = await host.call('echo', pluginInput('echo', { n: 1 }));
    expect(echo).toMatchObject({ ok: true, kind: 'output' });
  });

  it('ignores a cancel for an id it does not know', async () => {
    host.cancel(424_242);
    expect(await host.call('echo', pluginInput('echo'))).toMatchObject({ ok: true });
    expect(host.answers(424_242)).toBe(0);
  });
});
