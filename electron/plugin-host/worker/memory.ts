import { Failure } from './failure';

// Every read and write the worker makes in a plugin's linear memory is checked
// against the memory's current size first: an address or a length the plugin
// hands back is never trusted.

/** Whether the `length` bytes at `pointer` lie inside the memory. */
export function fits(memory: WebAssembly.Memory, pointer: number, length: number): boolean {
  return pointer >= 0 && length >= 0 && pointer + length <= memory.buffer.byteLength;
}

/**
 * Copies `bytes` into room the plugin allocates with `alloc`; returns the
 * address. `what` names the bytes in the failure.
 */
export function writeBytes(
  memory: WebAssembly.Memory,
  alloc: (length: number) => number,
  bytes: Uint8Array,
  what: string,
): number {
  const pointer = alloc(bytes.length) >>> 0;
  if (pointer === 0 && bytes.length > 0)
    throw new Failure('memory', `the plugin could not allocate room for ${what}`);
  if (!fits(memory, pointer, bytes.length))
    throw new Failure('error', `the plugin gave an address outside its memory for ${what}`);
  new Uint8Array(memory.buffer, pointer, bytes.length).set(bytes);
  return pointer;
}

/** A copy of the `length` bytes at `pointer`; `what` names them in the failure. */
export function readBytes(
  memory: WebAssembly.Memory,
  pointer: number,
  length: number,
  what: string,
): Uint8Array {
  if (!fits(memory, pointer, length))
    throw new Failure('error', `the plugin returned ${what} outside its memory`);
  return new Uint8Array(memory.buffer, pointer, length).slice();
}

/** Zeroes the whole memory, so nothing a call left in it (a credential) outlives the call. */
export function wipe(memory: WebAssembly.Memory | undefined): void {
  try {
    if (memory) new Uint8Array(memory.buffer).fill(0);
  } catch {
    // A memory that cannot be read any more holds nothing to wipe.
  }
}

/** Bytes per page of the host's memory (4 KiB on the platforms Custodian runs on). */
const OS_PAGE = 4096;

/**
 * Writes each OS page of the memory with the byte it already holds: nothing
 * changes (a fresh instance's data is already in place), but every page is
 * mapped, so the call that uses the instance, and the wipe after it, meet no
 * first-touch page faults.
 */
export function touch(memory: WebAssembly.Memory | undefined): void {
  try {
    if (!memory) return;
    const bytes = new Uint8Array(memory.buffer);
    for (let i = 0; i < bytes.length; i += OS_PAGE) bytes[i] = bytes[i] ?? 0;
  } catch {
    // A memory that cannot be read holds nothing to map.
  }
}
