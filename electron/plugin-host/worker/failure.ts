import type { HostFailure } from '../../../shared/plugin-host-protocol';

// How a run that did not finish is named for the host: an explicit Failure
// keeps its own kind; anything else thrown by the runtime, the module or V8 is
// sorted into memory, trap, invalid_module or error, with a message that says
// which limit was met.

const MIB = 1_048_576;

/** A failure the worker names itself. */
export class Failure extends Error {
  constructor(
    readonly failure: HostFailure,
    message: string,
  ) {
    super(message);
  }
}

/** The plugin called WASI's proc_exit. */
export class ProcExit extends Error {
  constructor(code: unknown) {
    super(`the plugin called proc_exit(${String(code)})`);
  }
}

/** The plugin called env.abort (AssemblyScript's runtime does on a failed assertion). */
export class Abort extends Error {
  constructor() {
    super('the plugin aborted');
  }
}

export interface FailureContext {
  /** The plugin's memory limit in bytes. */
  memoryBytes: number;
  /** The runtime reported "memory limit exceeded" during this run. */
  memoryHit: boolean;
  /** The instance's memory, when it got that far. */
  memory?: WebAssembly.Memory | undefined;
}

function messageOf(error: unknown): string {
  const inner: unknown = error ? (error as { message?: unknown }).message : undefined;
  return String(inner || error);
}

/**
 * A trap with the memory within an eighth (at most 2 MiB) of its cap is taken
 * for a failed memory.grow: the runtime's allocator traps when grow returns -1.
 */
export function memoryNearCap(
  memory: WebAssembly.Memory | undefined,
  memoryBytes: number,
): boolean {
  if (!memory) return false;
  try {
    const slack = Math.min(2 * MIB, memoryBytes / 8);
    return memoryBytes - memory.buffer.byteLength <= slack;
  } catch {
    return false;
  }
}

export function classify(error: unknown, context: FailureContext): [HostFailure, string] {
  if (error instanceof Failure) return [error.failure, error.message];
  const message = messageOf(error);
  const limit = `${context.memoryBytes / MIB} MiB`;
  if (context.memoryHit)
    return ['memory', `the plugin asked for more memory than its limit of ${limit}`];
  if (error instanceof ProcExit) return ['trap', message];
  if (error instanceof Abort) return ['trap', message];
  if (error instanceof WebAssembly.RuntimeError) {
    if (memoryNearCap(context.memory, context.memoryBytes))
      return ['memory', `the plugin stopped at its memory limit of ${limit} (${message})`];
    return ['trap', `the plugin trapped: ${message}`];
  }
  if (error instanceof RangeError) {
    if (/call stack/i.test(message)) return ['trap', 'the plugin overflowed its stack'];
    if (/memory|allocation/i.test(message))
      return ['memory', `the plugin asked for more memory than its limit of ${limit}`];
  }
  if (error instanceof WebAssembly.LinkError || error instanceof WebAssembly.CompileError)
    return ['invalid_module', message];
  const pluginError = /^Plugin-originated error: ([\s\S]*)$/.exec(message);
  if (pluginError) return ['error', `the plugin reported an error: ${pluginError[1]}`];
  return ['error', message];
}

/**
 * The Failure a run ended in, judged while its instance's memory is still at
 * hand; both ABIs rethrow this from their catch.
 */
export function failureOfRun(
  error: unknown,
  run: { memoryBytes: number; log: { memoryHit: boolean } },
  memory: WebAssembly.Memory | undefined,
): Failure {
  return new Failure(
    ...classify(error, { memoryBytes: run.memoryBytes, memoryHit: run.log.memoryHit, memory }),
  );
}
