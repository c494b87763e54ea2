// A tiny WebAssembly binary writer for tests: just enough sections to make
// modules with given memories, tables, imports and exports.

export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let b = v & 0x7f;
    v = Math.floor(v / 128);
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

const name = (text: string) => {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
};
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];

export interface ModuleSpec {
  /** Raw limits bytes of each memory, e.g. [0x01, min, max]. */
  memories?: number[][];
  tables?: { type?: number; limits: number[] }[];
  /** Function imports (all of type () -> i32) and raw other imports. */
  functionImports?: [string, string][];
  memoryImport?: number[];
  /** Exported functions; `grow` exports a function (i32) -> i32 doing memory.grow. */
  exports?: string[];
  grow?: boolean;
  exportMemory?: boolean;
  /** Instructions (without the final `end`) of exported functions, by name; default `i32.const 0`. */
  code?: Record<string, number[]>;
}

/** Limits bytes: no max, or min and max. */
export const limits = (min: number, max?: number, flags?: number) =>
  max === undefined ? [flags ?? 0x00, ...uleb(min)] : [flags ?? 0x01, ...uleb(min), ...uleb(max)];

export function buildModule(spec: ModuleSpec): Uint8Array {
  const types = [
    [0x60, 0x00, 0x01, 0x7f], // () -> i32
    [0x60, 0x01, 0x7f, 0x01, 0x7f], // (i32) -> i32
  ];
  const imports: number[][] = (spec.functionImports ?? []).map(([mod, field]) => [
    ...name(mod),
    ...name(field),
    0x00,
    0x00,
  ]);
  if (spec.memoryImport)
    imports.push([...name('env'), ...name('memory'), 0x02, ...spec.memoryImport]);
  const importedFunctions = spec.functionImports?.length ?? 0;
  const exported = spec.exports ?? [];
  const functions = [...exported.map(() => 0), ...(spec.grow ? [1] : [])];
  const bodies = [
    ...exported.map((field) => [0x00, ...(spec.code?.[field] ?? [0x41, 0x00]), 0x0b]),
    ...(spec.grow ? [[0x00, 0x20, 0x00, 0x40, 0x00, 0x0b]] : []), // local.get 0; memory.grow 0
  ].map((body) => [...uleb(body.length), ...body]);
  const exportEntries: number[][] = exported.map((field, i) => [
    ...name(field),
    0x00,
    ...uleb(importedFunctions + i),
  ]);
  if (spec.grow)
    exportEntries.push([...name('grow'), 0x00, ...uleb(importedFunctions + exported.length)]);
  if (spec.exportMemory) exportEntries.push([...name('memory'), 0x02, 0x00]);

  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec(types)),
    ...(imports.length ? section(2, vec(imports)) : []),
    ...(functions.length ? section(3, vec(functions.map((t) => [t]))) : []),
    ...(spec.tables ? section(4, vec(spec.tables.map((t) => [t.type ?? 0x70, ...t.limits]))) : []),
    ...(spec.memories ? section(5, vec(spec.memories)) : []),
    ...(exportEntries.length ? section(7, vec(exportEntries)) : []),
    ...(bodies.length ? section(10, vec(bodies)) : []),
  ];
  return Uint8Array.from(bytes);
}

/** The limits of the (single) memory section of a module: [flags, min, max?]. */
export function memoryLimits(
  wasm: Uint8Array,
): { flags: number; min: number; max: number | null } | null {
  let offset = 8;
  const read = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = wasm[offset++] ?? 0;
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return result;
    }
  };
  while (offset < wasm.length) {
    const id = wasm[offset++];
    const size = read();
    const end = offset + size;
    if (id === 5) {
      read(); // count
      const flags = wasm[offset++] ?? 0;
      const min = read();
      const max = flags & 1 ? read() : null;
      return { flags, min, max };
    }
    offset = end;
  }
  return null;
}
