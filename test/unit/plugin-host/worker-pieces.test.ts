import { describe, expect, it } from 'vitest';
import { bundleWorker } from '../../../electron/plugin-host/worker-bundle';
import { Abort, classify, Failure, ProcExit } from '../../../electron/plugin-host/worker/failure';
import { fits, readBytes, wipe, writeBytes } from '../../../electron/plugin-host/worker/memory';
import { checkOutputSize, decodeOutput } from '../../../electron/plugin-host/worker/output';
import { ERRNO, RANDOM_CAP, wasiImports } from '../../../electron/plugin-host/worker/wasi-shim';
import { buildModule } from './wasm-builder';

// The plugin worker's pieces on their own, without a thread or a plugin.

const PAGE = 65_536;
const MIB = 1_048_576;
const memory = () => new WebAssembly.Memory({ initial: 1 });

describe('memory bounds', () => {
  it('takes a range inside the memory and refuses one past its end or negative', () => {
    const m = memory();
    expect(fits(m, 0, PAGE)).toBe(true);
    expect(fits(m, PAGE - 8, 8)).toBe(true);
    expect(fits(m, PAGE - 7, 8)).toBe(false);
    expect(fits(m, -1, 1)).toBe(false);
    expect(fits(m, 0, -1)).toBe(false);
  });

  it('writes only where the plugin allocated inside its memory', () => {
    const m = memory();
    const bytes = Uint8Array.from([1, 2, 3]);
    expect(writeBytes(m, () => 16, bytes, 'its input')).toBe(16);
    expect([...new Uint8Array(m.buffer, 16, 3)]).toEqual([1, 2, 3]);
    expect(() => writeBytes(m, () => PAGE - 2, bytes, 'its input')).toThrow(
      new Failure('error', 'the plugin gave an address outside its memory for its input'),
    );
    // A negative i32 is an address near 4 GiB, not a small one.
    expect(() => writeBytes(m, () => -1, bytes, 'its input')).toThrow(/outside its memory/);
    const noRoom = (() => {
      try {
        writeBytes(m, () => 0, bytes, 'the parameters');
      } catch (error) {
        return error;
      }
    })();
    expect(noRoom).toBeInstanceOf(Failure);
    expect((noRoom as Failure).failure).toBe('memory');
  });

  it('reads a copy, and refuses a response outside the memory', () => {
    const m = memory();
    new Uint8Array(m.buffer).set([7, 8], 100);
    const copy = readBytes(m, 100, 2, 'a response');
    wipe(m);
    expect([...copy]).toEqual([7, 8]);
    expect(new Uint8Array(m.buffer).some((b) => b !== 0)).toBe(false);
    expect(() => readBytes(m, PAGE - 1, 2, 'a response')).toThrow(
      'the plugin returned a response outside its memory',
    );
  });
});

describe('output limits', () => {
  it('refuses output over the limit and output that is not UTF-8', () => {
    expect(() => checkOutputSize(11, 10)).toThrow(/11 bytes, more than its output limit of 10/);
    expect(decodeOutput(new TextEncoder().encode('héllo'), 10)).toBe('héllo');
    expect(() => decodeOutput(Uint8Array.from([0xff, 0xfe]), 10)).toThrow(/not UTF-8/);
  });
});

describe('failure classification', () => {
  const context = { memoryBytes: 16 * MIB, memoryHit: false };
  it('names each kind of stop', () => {
    expect(classify(new Failure('output_too_large', 'big'), context)).toEqual([
      'output_too_large',
      'big',
    ]);
    expect(classify(new Error('x'), { ...context, memoryHit: true })).toEqual([
      'memory',
      'the plugin asked for more memory than its limit of 16 MiB',
    ]);
    expect(classify(new ProcExit(3), context)).toEqual(['trap', 'the plugin called proc_exit(3)']);
    expect(classify(new Abort(), context)[0]).toBe('trap');
    expect(classify(new RangeError('Maximum call stack size exceeded'), context)).toEqual([
      'trap',
      'the plugin overflowed its stack',
    ]);
    expect(classify(new Error('Plugin-originated error: nope'), context)).toEqual([
      'error',
      'the plugin reported an error: nope',
    ]);
    expect(classify(undefined, context)).toEqual(['error', 'undefined']);
  });

  it('takes a trap near the memory cap for the memory limit, and one far from it for a trap', () => {
    const trap = new WebAssembly.RuntimeError('unreachable');
    const m = memory();
    expect(classify(trap, { memoryBytes: PAGE, memoryHit: false, memory: m })[0]).toBe('memory');
    expect(classify(trap, { memoryBytes: 64 * MIB, memoryHit: false, memory: m })).toEqual([
      'trap',
      'the plugin trapped: unreachable',
    ]);
  });
});

describe('the WASI shim', () => {
  const names = [
    'fd_write',
    'fd_prestat_get',
    'path_open',
    'sock_accept',
    'poll_oneoff',
    'environ_get',
    'environ_sizes_get',
    'random_get',
    'clock_time_get',
    'proc_exit',
  ];
  const module = new WebAssembly.Module(
    buildModule({ functionImports: names.map((n) => ['wasi_snapshot_preview1', n]) }),
  );
  type Fn = (...args: (number | bigint)[]) => number;
  const shim = (m: WebAssembly.Memory | undefined) =>
    wasiImports(module, () => m) as unknown as Record<string, Fn>;

  it('gives exactly the functions the module imports', () => {
    expect(Object.keys(shim(memory())).sort()).toEqual([...names].sort());
  });

  it('refuses files, paths, sockets and polling', () => {
    const wasi = shim(memory());
    expect(wasi.fd_write?.(1, 0, 1, 0)).toBe(ERRNO.BADF);
    expect(wasi.fd_prestat_get?.(3, 0)).toBe(ERRNO.BADF);
    expect(wasi.path_open?.(3, 0, 0, 4)).toBe(ERRNO.ACCES);
    expect(wasi.sock_accept?.(3, 0, 0)).toBe(ERRNO.NOSYS);
    expect(wasi.poll_oneoff?.(0, 0, 1, 0)).toBe(ERRNO.NOSYS);
  });

  it('gives an empty environment, written only inside the memory', () => {
    const m = memory();
    new Uint8Array(m.buffer).fill(0xaa, 0, 8);
    const wasi = shim(m);
    expect(wasi.environ_sizes_get?.(0, 4)).toBe(ERRNO.SUCCESS);
    expect([...new Uint8Array(m.buffer, 0, 8)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(wasi.environ_get?.(0, 0)).toBe(ERRNO.SUCCESS);
    expect(wasi.environ_sizes_get?.(PAGE - 2, 0)).toBe(ERRNO.FAULT);
    expect(shim(undefined).environ_sizes_get?.(0, 4)).toBe(ERRNO.FAULT);
  });

  it('bounds random bytes and the clock to the memory, and caps random_get', () => {
    const m = memory();
    const wasi = shim(m);
    expect(wasi.random_get?.(0, 64)).toBe(ERRNO.SUCCESS);
    expect(new Uint8Array(m.buffer, 0, 64).some((b) => b !== 0)).toBe(true);
    expect(wasi.random_get?.(PAGE - 10, 11)).toBe(ERRNO.FAULT);
    expect(wasi.random_get?.(0, RANDOM_CAP + 1)).toBe(ERRNO.INVAL);
    expect(shim(undefined).random_get?.(0, 1)).toBe(ERRNO.NOSYS);
    expect(wasi.clock_time_get?.(0, 0n, 8)).toBe(ERRNO.SUCCESS);
    expect(new DataView(m.buffer).getBigUint64(8, true)).toBeGreaterThan(0n);
    expect(wasi.clock_time_get?.(9, 0n, 8)).toBe(ERRNO.INVAL);
    expect(wasi.clock_time_get?.(1, 0n, PAGE - 4)).toBe(ERRNO.FAULT);
  });

  it('turns proc_exit into a ProcExit', () => {
    expect(() => shim(memory()).proc_exit?.(2)).toThrow(ProcExit);
  });
});

describe('the worker bundle', () => {
  it('is plain JavaScript importing only Node built-ins (Extism comes by URL)', async () => {
    const { code, inputs } = await bundleWorker();
    const imports = [...code.matchAll(/\bfrom\s*["']([^"']+)["']/g)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(0);
    for (const specifier of imports) expect(specifier).toMatch(/^node:/);
    expect(code).toContain('import(data.extismUrl)');
    expect(inputs.some((file) => file.endsWith('wasi-shim.ts'))).toBe(true);
  });
});
