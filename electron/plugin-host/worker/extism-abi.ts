import { failureOfRun } from './failure';
import { wipe } from './memory';
import { decodeOutput } from './output';
import type { Logger } from './plugin-log';
import type { RunContext, RunPlugin } from './run-context';

// The Extism ABI, run by the Extism JS runtime in this thread (runInWorker:
// false): no WASI, no network (its fetch is refused, http goes through the
// custodian_http host function), no files, no config. Host functions the
// module imports are answered by the host thread over the worker's RPC.

const MIB = 1_048_576;
const HOST_NAMESPACE = 'extism:host/user';

// The part of @extism/extism's API (dist/esm/mod.d.ts) the worker uses. The
// worker loads the package by URL at run time, so its types are stated here.
interface ExtismOutput {
  readonly buffer: ArrayBufferLike;
  readonly byteOffset: number;
  readonly byteLength: number;
  text(): string;
}
interface ExtismCallContext {
  read(address: bigint | number): ExtismOutput | null;
  store(input: string | Uint8Array): bigint;
}
type ExtismHostFunction = (context: ExtismCallContext, offset: bigint) => bigint;
interface ExtismPlugin {
  getInstance(): Promise<{ exports: Record<string, unknown> }>;
  call(functionName: string, input?: string): Promise<ExtismOutput | null>;
  reset(): Promise<boolean>;
  close(): Promise<void>;
}
interface ExtismOptions {
  useWasi: boolean;
  runInWorker: boolean;
  functions: Record<string, Record<string, ExtismHostFunction>>;
  logger: Logger;
  logLevel: 'trace';
  allowedHosts: string[];
  allowedPaths: Record<string, string>;
  config: Record<string, string>;
  enableWasiOutput: boolean;
  fetch: () => Promise<never>;
  memory: { maxPages: number; maxHttpResponseBytes: number; maxVarBytes: number };
}
export type CreatePlugin = (
  manifest: { wasm: { module: WebAssembly.Module }[] },
  options: ExtismOptions,
) => Promise<ExtismPlugin>;

const deniedFetch = (): Promise<never> =>
  Promise.reject(new Error('network access goes through custodian_http only'));

function hostFunctions(context: RunContext): ExtismOptions['functions'] {
  if (context.hostFunctions.length === 0) return {};
  const user: Record<string, ExtismHostFunction> = {};
  for (const name of context.hostFunctions)
    user[name] = (call, offset) => {
      const block = call.read(offset);
      return call.store(context.rpc(name, block ? block.text() : ''));
    };
  return { [HOST_NAMESPACE]: user };
}

export function extismAbi(createPlugin: CreatePlugin): RunPlugin {
  return async (context, input) => {
    let plugin: ExtismPlugin | undefined;
    let memory: WebAssembly.Memory | undefined;
    try {
      plugin = await createPlugin(
        { wasm: [{ module: context.module }] },
        {
          useWasi: false,
          runInWorker: false,
          functions: hostFunctions(context),
          logger: context.log.logger,
          logLevel: 'trace',
          allowedHosts: [],
          allowedPaths: {},
          config: {},
          enableWasiOutput: false,
          fetch: deniedFetch,
          memory: { maxPages: context.maxPages, maxHttpResponseBytes: 0, maxVarBytes: MIB },
        },
      );
      memory = (await plugin.getInstance()).exports.memory as WebAssembly.Memory | undefined;
      if (input === null) return null;
      const output = await plugin.call('execute', input);
      if (!output) return '';
      return decodeOutput(
        new Uint8Array(output.buffer, output.byteOffset, output.byteLength),
        context.outputBytes,
      );
    } catch (error) {
      throw failureOfRun(error, context, memory);
    } finally {
      wipe(memory);
      if (plugin) {
        try {
          await plugin.reset();
          await plugin.close();
        } catch {
          // The instance is thrown away either way.
        }
      }
    }
  };
}
