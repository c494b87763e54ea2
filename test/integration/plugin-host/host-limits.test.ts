import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModule, limits } from '../../unit/plugin-host/wasm-builder';
import { HostProcess, pluginInput } from './host-process';

// The limits of issue 3, each proven with a hostile fixture plugin through the
// real host process: a loop in a call and at start, a memory hog, huge output,
// traps. After every one the host answers, and the next call works.

const TOKEN = 'tok-3f9a1c7e5b2d8046';
let host: HostProcess;

beforeAll(async () => {
  host = new HostProcess();
  await host.ready;
  expect(host.events[0]).toEqual({ kind: 'ready' });
  expect((await host.load('echo')).ok).toBe(true);
});
afterAll(async () => {
  expect(host.output).not.toContain(TOKEN);
  await host.stop();
});

async function echoWorks() {
  const result = await host.callJson('echo', pluginInput('echo', { n: 1 }));
  expect(result).toMatchObject({ code: 0, data: { action: 'echo', parameters: { n: 1 } } });
}

describe('a fresh instance for every call', () => {
  it('shares no globals between calls, however quickly they follow each other', async () => {
    // The echo counts its calls in a global: an instance used twice would say 2.
    const sequential: unknown[] = [];
    for (let i = 0; i < 5; i++)
      sequential.push((await host.callJson('echo', pluginInput('calls'))).data);
    const together = await Promise.all(
      Array.from(
        { length: 5 },
        async () => (await host.callJson('echo', pluginInput('calls'))).data,
      ),
    );
    expect([...sequential, ...together]).toEqual(Array.from({ length: 10 }, () => ({ calls: 1 })));
  });
});

describe('the protocol', () => {
  it('answers ping, and every request exactly once', async () => {
    const response = await host.request({ kind: 'ping' });
    expect(response).toEqual({ id: response.id, ok: true, kind: 'pong' });
    expect(host.answers(response.id)).toBe(1);
  });

  it('round-trips echo through Extism, with the credential given to the plugin', async () => {
    const response = await host.call('echo', pluginInput('echo', { text: 'héllo ✓' }));
    expect(response).toMatchObject({ ok: true, kind: 'output' });
    if (!response.ok || response.kind !== 'output') return;
    expect(JSON.parse(response.output)).toEqual({
      code: 0,
      data: { action: 'echo', parameters: { text: 'héllo ✓' }, credential_fields: ['token'] },
      error: null,
    });
  });

  it('answers a bad message with an error, ignores one without an id, and stays up', async () => {
    host.send({ kind: 'call' });
    host.send('garbage');
    host.send(null);
    const unknown = await host.request({ kind: 'explode' } as never);
    expect(unknown).toMatchObject({ ok: false, failure: 'error' });
    const badLoad = await host.request({ kind: 'load', plugin: 'x', wasm: 'nope' } as never);
    expect(badLoad).toMatchObject({ ok: false, failure: 'error' });
    const notLoaded = await host.call('nothing-here', '{}');
    expect(notLoaded).toMatchObject({ ok: false, failure: 'not_loaded' });
    expect(host.alive).toBe(true);
    await echoWorks();
  });

  it('refuses bytes that are not a module, and limits beyond the caps', async () => {
    const junk = await host.load('junk', { wasm: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]) });
    expect(junk).toMatchObject({ ok: false, failure: 'invalid_module' });
    const tooLong = await host.load('echo-2', { fixture: 'echo', limits: { timeoutMs: 60_000 } });
    expect(tooLong).toMatchObject({ ok: false, failure: 'error' });
  });
});

describe('a call that loops forever', () => {
  it('is stopped at its timeout, and the plugin and the host go on working', async () => {
    expect((await host.load('loop-call', { limits: { timeoutMs: 500 } })).ok).toBe(true);
    for (let round = 0; round < 2; round++) {
      const response = await host.call('loop-call', pluginInput('spin'));
      expect(response).toMatchObject({ ok: false, failure: 'timeout' });
      if (!response.ok) expect(response.message).toMatch(/500 ms/);
    }
    await echoWorks();
  });

  it('does not hold up other plugins while it spins', async () => {
    let spun = false;
    const spinning = host.call('loop-call', pluginInput('spin')).finally(() => (spun = true));
    await echoWorks();
    // Echo answered while the loop was still running, not after it was stopped.
    expect(spun).toBe(false);
    expect(await spinning).toMatchObject({ ok: false, failure: 'timeout' });
  });
});

describe('a plugin that loops at start', () => {
  it('fails its load with a timeout, and the host goes on', async () => {
    const response = await host.load('loop-start', { limits: { timeoutMs: 1_000 } });
    expect(response).toMatchObject({ ok: false, failure: 'timeout' });
    if (!response.ok) expect(response.message).toMatch(/1000 ms/);
    expect(await host.call('loop-start', pluginInput('noop'))).toMatchObject({
      ok: false,
      failure: 'not_loaded',
    });
    await echoWorks();
  });
});

describe('a plugin that grows its memory without end', () => {
  it('is stopped at its memory limit, and its next call works', async () => {
    const limits = { memoryBytes: 16 * 1_048_576, timeoutMs: 10_000 };
    expect((await host.load('memory-hog', { limits })).ok).toBe(true);
    const rssBefore = rss(host.pid);
    const response = await host.call('memory-hog', pluginInput('hog'));
    expect(response).toMatchObject({ ok: false, failure: 'memory' });
    if (!response.ok) expect(response.message).toMatch(/16 MiB/);
    // The cap held: the process did not grow by more than a few caps' worth.
    expect(rss(host.pid) - rssBefore).toBeLessThan(200 * 1_048_576);
    expect(host.alive).toBe(true);
    const small = await host.callJson('memory-hog', pluginInput('hog', { limit_mib: 4 }));
    expect(small).toMatchObject({ code: 0, data: { allocated_mib: 4 } });
    await echoWorks();
  });
});

describe('output larger than the cap', () => {
  it('is refused without being sent, and smaller output passes', async () => {
    expect((await host.load('huge-output', { limits: { outputBytes: 1_048_576 } })).ok).toBe(true);
    const response = await host.call('huge-output', pluginInput('emit', { bytes: 2 * 1_048_576 }));
    expect(response).toMatchObject({ ok: false, failure: 'output_too_large' });
    expect(JSON.stringify(response).length).toBeLessThan(1_000);
    const fits = await host.call('huge-output', pluginInput('emit', { bytes: 1_048_576 }));
    expect(fits).toMatchObject({ ok: true, kind: 'output' });
    if (fits.ok && fits.kind === 'output') expect(Buffer.byteLength(fits.output)).toBe(1_048_576);
  });
});

describe('a plugin that traps', () => {
  it.each(['unreachable', 'abort', 'stack_overflow', 'divide_by_zero', 'out_of_bounds'])(
    '%s: the call fails with a clean trap, and the next call works',
    async (kind) => {
      if (kind === 'unreachable') expect((await host.load('trap')).ok).toBe(true);
      const response = await host.call('trap', pluginInput('trap', { kind }));
      expect(response).toMatchObject({ ok: false, failure: 'trap' });
      if (!response.ok) {
        expect(response.message).toMatch(/trapped|stack/);
        expect(response.message).not.toContain(TOKEN);
      }
      const again = await host.callJson('trap', pluginInput('trap', { kind: 'none' }));
      expect(again.code).toBe(-3);
    },
  );
});

describe('the Vultrino ABI under the same limits', () => {
  // Hand-built Vultrino modules (the fixture is well-behaved): execute loops, or grows
  // memory 1 MiB at a time until memory.grow fails and then traps, as an allocator does.
  const vultrino = (execute: number[]) =>
    buildModule({
      memories: [limits(1)],
      exportMemory: true,
      exports: ['vultrino_plugin_version', 'vultrino_alloc', 'vultrino_free', 'vultrino_execute'],
      code: {
        vultrino_plugin_version: [0x41, 0x01], // i32.const 1
        vultrino_alloc: [0x41, 0x80, 0x08], // i32.const 1024
        vultrino_execute: execute,
      },
    });
  const LOOP = [0x03, 0x40, 0x0c, 0x00, 0x0b, 0x41, 0x00]; // loop br 0 end; i32.const 0
  // loop: i32.const 16; memory.grow; i32.const -1; i32.ne; br_if 0; end; unreachable
  const HOG = [0x03, 0x40, 0x41, 0x10, 0x40, 0x00, 0x41, 0x7f, 0x47, 0x0d, 0x00, 0x0b, 0x00];

  it('stops a Vultrino call that loops, and one that grows past its memory', async () => {
    expect(
      await host.load('v-loop', { wasm: vultrino(LOOP), limits: { timeoutMs: 300 } }),
    ).toMatchObject({
      ok: true,
      abi: 'vultrino',
    });
    expect(await host.call('v-loop', pluginInput('x'))).toMatchObject({
      ok: false,
      failure: 'timeout',
    });
    const memoryBytes = 8 * 1_048_576;
    expect(
      await host.load('v-hog', { wasm: vultrino(HOG), limits: { memoryBytes } }),
    ).toMatchObject({ ok: true });
    const response = await host.call('v-hog', pluginInput('x'));
    expect(response).toMatchObject({ ok: false, failure: 'memory' });
    if (!response.ok) expect(response.message).toMatch(/8 MiB/);
    await echoWorks();
  });
});

function rss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  return Number(kb) * 1024;
}
