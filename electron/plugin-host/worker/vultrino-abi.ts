import { Abort, Failure, failureOfRun } from './failure';
import { readBytes, wipe, writeBytes } from './memory';
import { checkOutputSize, decodeOutput } from './output';
import type { RunContext, RunPlugin } from './run-context';
import { WASI_MODULE, wasiImports } from './wasi-shim';

// The Vultrino ABI (version 1), run on plain WebAssembly: the host writes the
// input into room the plugin allocates (vultrino_alloc), calls
// vultrino_execute, and reads the response from the pointer and length packed
// into the i64 it returns. vultrino_validate_params, when exported, is asked
// first. The only imports are the WASI shim and env.abort.

const encoder = new TextEncoder();

interface VultrinoExports {
  memory: WebAssembly.Memory;
  _initialize?: () => void;
  vultrino_plugin_version: () => number;
  vultrino_alloc: (length: number) => number;
  vultrino_free: (pointer: number, length: number) => void;
  vultrino_execute: (pointer: number, length: number) => bigint | number;
  vultrino_validate_params?: (
    actionPointer: number,
    actionLength: number,
    paramsPointer: number,
    paramsLength: number,
  ) => number;
}

/** The input as a request, or null when it is not JSON (vultrino_execute answers that). */
function parseRequest(input: string): { action?: unknown; parameters?: unknown } | null {
  try {
    return JSON.parse(input) as { action?: unknown; parameters?: unknown } | null;
  } catch {
    return null;
  }
}

/** The response a plugin that refuses an action or its parameters gets, without running it. */
function validate(x: VultrinoExports, input: string): string | null {
  if (typeof x.vultrino_validate_params !== 'function') return null;
  const request = parseRequest(input);
  if (!request || typeof request.action !== 'string') return null;
  const action = encoder.encode(request.action);
  const params = encoder.encode(JSON.stringify(request.parameters ?? {}));
  const actionPtr = writeBytes(x.memory, x.vultrino_alloc, action, 'the action name');
  const paramsPtr = writeBytes(x.memory, x.vultrino_alloc, params, 'the parameters');
  const code = x.vultrino_validate_params(actionPtr, action.length, paramsPtr, params.length);
  if (code === 0) return null;
  return JSON.stringify({
    code: code === -2 ? -2 : -3,
    data: null,
    error: code === -2 ? `unknown action "${request.action}"` : 'invalid parameters',
  });
}

function execute(x: VultrinoExports, input: string, outputBytes: number): string {
  const bytes = encoder.encode(input);
  const ptr = writeBytes(x.memory, x.vultrino_alloc, bytes, 'its input');
  const packed = BigInt.asUintN(64, BigInt(x.vultrino_execute(ptr, bytes.length)));
  const outPtr = Number(packed >> 32n);
  const outLen = Number(packed & 0xffffffffn);
  checkOutputSize(outLen, outputBytes);
  const text = decodeOutput(readBytes(x.memory, outPtr, outLen, 'a response'), outputBytes);
  // The instance is thrown away anyway; freeing keeps to the ABI.
  try {
    x.vultrino_free(outPtr, outLen);
    x.vultrino_free(ptr, bytes.length);
  } catch {
    // Nothing depends on it.
  }
  return text;
}

export const runVultrino: RunPlugin = async (context: RunContext, input) => {
  let memory: WebAssembly.Memory | undefined;
  try {
    const instance = await WebAssembly.instantiate(context.module, {
      [WASI_MODULE]: wasiImports(context.module, () => memory),
      env: {
        abort: () => {
          throw new Abort();
        },
      },
    });
    const x = instance.exports as unknown as VultrinoExports;
    memory = x.memory;
    if (typeof x._initialize === 'function') x._initialize();
    const version = x.vultrino_plugin_version();
    if (version !== 1)
      throw new Failure(
        'invalid_module',
        `the module speaks Vultrino ABI version ${version}; this host runs version 1`,
      );
    if (input === null) return null;
    return validate(x, input) ?? execute(x, input, context.outputBytes);
  } catch (error) {
    throw failureOfRun(error, context, memory);
  } finally {
    wipe(memory);
  }
};
