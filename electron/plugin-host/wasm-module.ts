import { ModuleRefused } from '../../shared/wasm-imports';

// The checks on imports and exports live in shared/ so the store runs them too.
export {
  checkImports,
  detectAbi,
  EXTISM_ENV,
  importedHostFunctions,
  ModuleRefused,
  WASI_NAMESPACE,
  type Grants,
} from '../../shared/wasm-imports';

// What the host checks and changes in a plugin's module before it runs:
// - the linear memory gets a maximum no larger than the plugin's limit, so
//   memory.grow fails inside the plugin (Extism's maxPages does not cap it);
// - tables get a maximum too, so table.grow cannot be used to take memory;
// - the ABI is told from the exports;
// - every import must be something the plugin was granted.
// Only the limits of the memory and table sections are rewritten; every other
// byte of the module is copied as it is.

export const WASM_PAGE = 65_536;
/** Entries a table may grow to: far more than any compiler emits, 800 KB at most. */
export const TABLE_CAP = 100_000;

class Reader {
  offset = 0;
  constructor(readonly bytes: Uint8Array) {}
  byte(): number {
    const b = this.bytes[this.offset];
    if (b === undefined) throw new ModuleRefused('invalid_module', 'the module ends too early');
    this.offset++;
    return b;
  }
  /** An unsigned LEB128 of at most `bits` bits, as a bigint. */
  uleb(bits = 32): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) break;
      if (shift >= BigInt(bits + 7))
        throw new ModuleRefused('invalid_module', 'a number in the module is too long');
    }
    if (result >= 1n << BigInt(bits))
      throw new ModuleRefused('invalid_module', 'a number in the module is out of range');
    return result;
  }
  u32(): number {
    return Number(this.uleb(32));
  }
}

function uleb(value: number | bigint): number[] {
  let v = BigInt(value);
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return out;
}

interface Limits {
  min: bigint;
  max: bigint | null;
}

/** Reads the limits of a memory or table; refuses shared, 64-bit and unknown forms. */
function readLimits(reader: Reader, what: string): Limits {
  const flags = reader.byte();
  if (flags & 0x02)
    throw new ModuleRefused('invalid_module', `the ${what} is shared, which plugins may not use`);
  if (flags & 0x04)
    throw new ModuleRefused('invalid_module', `the ${what} is 64-bit, which plugins may not use`);
  if (flags & ~0x01)
    throw new ModuleRefused('invalid_module', `the ${what} has limits this host does not know`);
  const min = reader.uleb(32);
  const max = flags & 0x01 ? reader.uleb(32) : null;
  return { min, max };
}

function writeLimits(limits: { min: bigint; max: bigint }): number[] {
  return [0x01, ...uleb(limits.min), ...uleb(limits.max)];
}

function capMemories(payload: Uint8Array, maxPages: number, capBytes: number): number[] {
  const reader = new Reader(payload);
  const count = reader.u32();
  if (count > 1)
    throw new ModuleRefused(
      'invalid_module',
      'the module declares several memories; one is allowed',
    );
  const out = uleb(count);
  for (let i = 0; i < count; i++) {
    const { min, max } = readLimits(reader, 'memory');
    if (min > BigInt(maxPages))
      throw new ModuleRefused(
        'memory',
        `the module starts with ${min} pages of memory (${Number(min) / 16} MiB), more than its limit of ${capBytes / 1_048_576} MiB`,
      );
    const capped = max === null || max > BigInt(maxPages) ? BigInt(maxPages) : max;
    out.push(...writeLimits({ min, max: capped }));
  }
  if (reader.offset !== payload.length)
    throw new ModuleRefused('invalid_module', 'the memory section has trailing bytes');
  return out;
}

function capTables(payload: Uint8Array): number[] {
  const reader = new Reader(payload);
  const count = reader.u32();
  const out = uleb(count);
  for (let i = 0; i < count; i++) {
    const refType = reader.byte();
    // funcref and externref; typed references and tables with initialisers are not supported.
    if (refType !== 0x70 && refType !== 0x6f)
      throw new ModuleRefused(
        'invalid_module',
        'a table has an element type this host does not support',
      );
    const { min, max } = readLimits(reader, 'table');
    if (min > BigInt(TABLE_CAP))
      throw new ModuleRefused(
        'invalid_module',
        `a table starts with more than ${TABLE_CAP} entries`,
      );
    const capped = max === null || max > BigInt(TABLE_CAP) ? BigInt(TABLE_CAP) : max;
    out.push(refType, ...writeLimits({ min, max: capped }));
  }
  if (reader.offset !== payload.length)
    throw new ModuleRefused('invalid_module', 'the table section has trailing bytes');
  return out;
}

function skipName(reader: Reader): string {
  const length = reader.u32();
  const start = reader.offset;
  reader.offset += length;
  if (reader.offset > reader.bytes.length)
    throw new ModuleRefused('invalid_module', 'a name runs past its section');
  return new TextDecoder().decode(reader.bytes.subarray(start, reader.offset));
}

/** Refuses imported memories and tables: their size would be the host's to give, not the module's. */
function refuseImportedMemory(payload: Uint8Array): void {
  const reader = new Reader(payload);
  const count = reader.u32();
  for (let i = 0; i < count; i++) {
    const what = `"${skipName(reader)}" "${skipName(reader)}"`;
    const kind = reader.byte();
    if (kind === 0x00 || kind === 0x04) {
      if (kind === 0x04) reader.byte();
      reader.u32();
    } else if (kind === 0x02) {
      throw new ModuleRefused(
        'invalid_module',
        `the module imports its memory (${what}); a plugin must declare its own`,
      );
    } else if (kind === 0x01) {
      throw new ModuleRefused(
        'invalid_module',
        `the module imports a table (${what}); a plugin must declare its own`,
      );
    } else if (kind === 0x03) {
      const type = reader.byte();
      if (type === 0x63 || type === 0x64) while (reader.byte() & 0x80);
      reader.byte();
    } else {
      throw new ModuleRefused(
        'invalid_module',
        `an import of a kind this host does not know (${what})`,
      );
    }
  }
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const SECTION_IMPORT = 2;
const SECTION_TABLE = 4;
const SECTION_MEMORY = 5;

/**
 * Returns a copy of the module whose memory may grow to at most `memoryBytes`
 * (rounded down to whole pages) and whose tables to at most TABLE_CAP entries.
 * Refuses a module that is not a core WebAssembly 1.0 binary, imports its
 * memory or a table, declares more than one memory, a shared or 64-bit memory,
 * or a memory that starts above the limit.
 */
export function capModuleLimits(wasm: Uint8Array, memoryBytes: number): Uint8Array {
  const maxPages = Math.floor(memoryBytes / WASM_PAGE);
  if (maxPages < 1) throw new ModuleRefused('memory', 'the memory limit is less than one page');
  if (wasm.length < 8 || MAGIC.some((b, i) => wasm[i] !== b))
    throw new ModuleRefused('invalid_module', 'this is not a WebAssembly 1.0 module');
  const parts: Uint8Array[] = [wasm.subarray(0, 8)];
  const reader = new Reader(wasm);
  reader.offset = 8;
  while (reader.offset < wasm.length) {
    const start = reader.offset;
    const id = reader.byte();
    const size = reader.u32();
    const payloadStart = reader.offset;
    const end = payloadStart + size;
    if (end > wasm.length)
      throw new ModuleRefused('invalid_module', 'a section runs past the end of the module');
    const payload = wasm.subarray(payloadStart, end);
    reader.offset = end;
    if (id === SECTION_IMPORT) refuseImportedMemory(payload);
    if (id === SECTION_MEMORY || id === SECTION_TABLE) {
      const body =
        id === SECTION_MEMORY ? capMemories(payload, maxPages, memoryBytes) : capTables(payload);
      parts.push(Uint8Array.from([id, ...uleb(body.length), ...body]));
    } else {
      parts.push(wasm.subarray(start, end));
    }
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
