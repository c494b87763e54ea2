import { getRandomValues } from 'node:crypto';
import { ProcExit } from './failure';
import { fits } from './memory';

// The whole of WASI a Vultrino plugin gets: random bytes, the clocks, empty
// arguments and environment, sched_yield and proc_exit. Everything else it
// imports from wasi_snapshot_preview1 is linked to a refusal: no descriptors
// exist (libc's preopen scan stops at BADF), no paths may be opened, and there
// is no network, signal or poll. Node's own node:wasi is not used: it would
// hand the plugin real descriptors.

export const WASI_MODULE = 'wasi_snapshot_preview1';

export const ERRNO = { SUCCESS: 0, ACCES: 2, BADF: 8, FAULT: 21, INVAL: 28, NOSYS: 52 } as const;

/** Most random bytes one random_get may ask for. */
export const RANDOM_CAP = 1_048_576;
/** getRandomValues fills at most 64 KiB at once. */
const RANDOM_CHUNK = 65_536;

type MemoryGetter = () => WebAssembly.Memory | undefined;
type WasiFunction = (...args: never[]) => number;

/** Nanoseconds on clock `id` (0 realtime; 1 to 3 monotonic and CPU time), or null for no such clock. */
function now(id: number): bigint | null {
  if (id === 0) return BigInt(Date.now()) * 1_000_000n;
  if (id >= 1 && id <= 3) return process.hrtime.bigint();
  return null;
}

function allowedFunctions(getMemory: MemoryGetter): Record<string, WasiFunction> {
  const writeZeroPair = (a: number, b: number): number => {
    const memory = getMemory();
    if (!memory || !fits(memory, a, 4) || !fits(memory, b, 4)) return ERRNO.FAULT;
    const view = new DataView(memory.buffer);
    view.setUint32(a, 0, true);
    view.setUint32(b, 0, true);
    return ERRNO.SUCCESS;
  };
  const writeTime = (out: number, value: bigint): number => {
    const memory = getMemory();
    if (!memory || !fits(memory, out, 8)) return ERRNO.FAULT;
    new DataView(memory.buffer).setBigUint64(out, value, true);
    return ERRNO.SUCCESS;
  };
  return {
    random_get(pointer: number, length: number): number {
      const memory = getMemory();
      if (!memory) return ERRNO.NOSYS;
      if (length > RANDOM_CAP) return ERRNO.INVAL;
      if (!fits(memory, pointer, length)) return ERRNO.FAULT;
      for (let at = 0; at < length; at += RANDOM_CHUNK)
        getRandomValues(
          new Uint8Array(memory.buffer, pointer + at, Math.min(RANDOM_CHUNK, length - at)),
        );
      return ERRNO.SUCCESS;
    },
    clock_time_get(id: number, _precision: bigint, out: number): number {
      const value = now(id);
      if (value === null) return ERRNO.INVAL;
      return writeTime(out, value);
    },
    clock_res_get(id: number, out: number): number {
      if (now(id) === null) return ERRNO.INVAL;
      return writeTime(out, 1000n);
    },
    args_sizes_get: writeZeroPair,
    environ_sizes_get: writeZeroPair,
    args_get: () => ERRNO.SUCCESS,
    environ_get: () => ERRNO.SUCCESS,
    sched_yield: () => ERRNO.SUCCESS,
    proc_exit(code: number): number {
      throw new ProcExit(code);
    },
  };
}

/** What a WASI function this shim does not give answers. */
function refusal(name: string): WasiFunction {
  if (name.startsWith('fd_')) return () => ERRNO.BADF;
  if (name.startsWith('path_')) return () => ERRNO.ACCES;
  return () => ERRNO.NOSYS;
}

/**
 * The wasi_snapshot_preview1 imports for `module`: one function for each it
 * imports, allowed or refused. `getMemory` gives the instance's memory once
 * it exists (WASI calls before that find none).
 */
export function wasiImports(
  module: WebAssembly.Module,
  getMemory: MemoryGetter,
): Record<string, WasiFunction> {
  const allowed = allowedFunctions(getMemory);
  const imports: Record<string, WasiFunction> = {};
  for (const entry of WebAssembly.Module.imports(module))
    if (entry.module === WASI_MODULE)
      imports[entry.name] = Object.hasOwn(allowed, entry.name)
        ? (allowed[entry.name] as WasiFunction)
        : refusal(entry.name);
  return imports;
}
