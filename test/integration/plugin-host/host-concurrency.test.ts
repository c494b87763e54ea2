import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostResponse } from '../../../shared/plugin-host-protocol';
import { eventually } from '../../support/eventually';
import { HostProcess, pluginInput } from './host-process';

// Many calls at once across plugins, some of them hostile: every call is
// answered exactly once, ok or with a clean failure; calls to one plugin run in
// order; and once everything is unloaded the host is back to the threads and
// file descriptors it started with (no leaked workers, ports or sockets).

let host: HostProcess;

beforeAll(async () => {
  host = new HostProcess();
  await host.ready;
});
afterAll(async () => {
  await host.stop();
});

const PLUGINS = {
  echo: { fixture: 'echo', input: () => pluginInput('echo', { at: Date.now() }) },
  'echo-b': { fixture: 'echo', input: () => pluginInput('echo', {}) },
  'vultrino-echo': { fixture: 'vultrino-echo', input: () => pluginInput('echo', { message: 'x' }) },
  trap: { fixture: 'trap', input: () => pluginInput('trap', { kind: 'unreachable' }) },
  'loop-call': { fixture: 'loop-call', input: () => pluginInput('spin') },
  'crypto-probe': {
    fixture: 'crypto-probe',
    input: () => pluginInput('run', { request: { op: 'digest', alg: 'sha256', data: 'YWJj' } }),
  },
} as const;
type Name = keyof typeof PLUGINS;

async function loadAll() {
  for (const [name, { fixture }] of Object.entries(PLUGINS)) {
    const response = await host.load(name, {
      fixture,
      limits: { timeoutMs: name === 'loop-call' ? 300 : 5_000 },
      grants: { crypto: name === 'crypto-probe' },
    });
    expect(response, name).toMatchObject({ ok: true });
  }
}

async function unloadAll() {
  for (const name of Object.keys(PLUGINS))
    expect(await host.unload(name)).toMatchObject({ ok: true, kind: 'unloaded' });
}

// Worker threads exit asynchronously after terminate(): the counts are read
// again until they hold still (for the baseline) or come back to it.
const counts = () => ({ threads: host.threads(), fds: host.fds() });

/** The host's threads and descriptors once they held still for half a second. */
async function stillCounts(): Promise<{ threads: number; fds: number }> {
  const reads: string[] = [];
  await eventually(
    () => {
      reads.push(JSON.stringify(counts()));
      const last = reads.slice(-5);
      return last.length === 5 && new Set(last).size === 1;
    },
    { timeoutMs: 10_000, intervalMs: 100, message: "the host's threads to hold still" },
  );
  return counts();
}

describe('100 concurrent calls across plugins', () => {
  it('all complete or fail cleanly, and nothing leaks once everything is unloaded', async () => {
    // Warm up once (lazy thread pools, module caches), then take the baseline.
    await loadAll();
    await host.callJson('echo', pluginInput('echo'));
    await unloadAll();
    const baseline = await stillCounts();

    await loadAll();
    const names = Object.keys(PLUGINS) as Name[];
    const calls = Array.from({ length: 100 }, (_, i) => {
      const name = names[i % names.length] as Name;
      return host.call(name, PLUGINS[name].input()).then((response) => ({ name, response }));
    });
    const results = await Promise.all(calls);

    expect(results).toHaveLength(100);
    const byName = new Map<Name, HostResponse[]>();
    for (const { name, response } of results)
      byName.set(name, [...(byName.get(name) ?? []), response]);
    for (const response of byName.get('echo') ?? []) expect(response).toMatchObject({ ok: true });
    for (const response of byName.get('echo-b') ?? []) expect(response).toMatchObject({ ok: true });
    for (const response of byName.get('vultrino-echo') ?? [])
      expect(response).toMatchObject({ ok: true });
    for (const response of byName.get('crypto-probe') ?? [])
      expect(response).toMatchObject({ ok: true });
    for (const response of byName.get('trap') ?? [])
      expect(response).toMatchObject({ ok: false, failure: 'trap' });
    for (const response of byName.get('loop-call') ?? [])
      expect(response).toMatchObject({ ok: false, failure: 'timeout' });
    for (const { response } of results)
      expect(host.answers((response as { id: number }).id)).toBe(1);
    expect(host.alive).toBe(true);

    // Threads while loaded: one worker per plugin at most.
    expect(host.threads()).toBeGreaterThan(baseline.threads);
    await unloadAll();
    await eventually(() => expect(counts()).toEqual(baseline), {
      intervalMs: 100,
      message: 'the threads and descriptors of before the calls',
    });
  });

  it('runs calls to one plugin in arrival order, one at a time', async () => {
    expect(await host.load('echo')).toMatchObject({ ok: true });
    const inputs = Array.from({ length: 20 }, (_, i) => pluginInput('echo', { i }));
    const outputs = await Promise.all(inputs.map((input) => host.callJson('echo', input)));
    expect(outputs.map((o) => (o.data as { parameters: { i: number } }).parameters.i)).toEqual(
      inputs.map((_, i) => i),
    );
    await host.unload('echo');
  });

  it('fails the calls queued on a plugin that is unloaded, with not_loaded', async () => {
    expect(await host.load('loop-call', { limits: { timeoutMs: 5_000 } })).toMatchObject({
      ok: true,
    });
    const running = host.call('loop-call', pluginInput('spin'));
    const queued = host.call('loop-call', pluginInput('spin'));
    // Let the first call start spinning (the host does not say when a call starts).
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Unloading stops the running call (its 5 s limit would answer timeout) and the queued one.
    expect(await host.unload('loop-call')).toMatchObject({ ok: true });
    expect(await running).toMatchObject({ ok: false, failure: 'not_loaded' });
    expect(await queued).toMatchObject({ ok: false, failure: 'not_loaded' });
  });

  it('replaces a plugin loaded again under the same name (reload)', async () => {
    expect(await host.load('swap', { fixture: 'echo' })).toMatchObject({ ok: true, abi: 'extism' });
    expect(await host.load('swap', { fixture: 'vultrino-echo' })).toMatchObject({
      ok: true,
      abi: 'vultrino',
    });
    expect(await host.callJson('swap', pluginInput('random'))).toMatchObject({
      code: 0,
      data: { errno: 0 },
    });
    await host.unload('swap');
  });
});
