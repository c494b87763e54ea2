import { failureOfRun } from './failure';
import { touch, wipe } from './memory';
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

/** A fresh instance, made before it is needed, and its memory. */
interface Prepared {
  plugin: ExtismPlugin;
  memory: WebAssembly.Memory | undefined;
}

function prepare(createPlugin: CreatePlugin, context: RunContext): Promise<Prepared> {
  return (async () => {
    const plugin = await createPlugin(
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
    try {
      const memory = (await plugin.getInstance()).exports.memory as WebAssembly.Memory | undefined;
      // Touched now, while nobody waits: the call and its wipe meet no first-touch page faults.
      touch(memory);
      return { plugin, memory };
    } catch (error) {
      await plugin.close().catch(() => undefined);
      throw error;
    }
  })();
}

/**
 * Every run gets an instance nobody has used: no memory, globals or table of
 * one call reaches another (never Extism's reset(), which would keep the
 * instance). The next one is made in the background once a call has answered,
 * so a call finds it ready; the used one is wiped and closed then too. A run
 * waits for that to finish first, so a call never overlaps the last one's
 * clean-up. A preparation that fails (a start function that traps) fails the
 * run that takes it, as making it then would have; one that never ends keeps
 * the worker busy, and the next call's deadline ends the worker.
 */
export function extismAbi(createPlugin: CreatePlugin): RunPlugin {
  let next: Promise<Prepared> | undefined;
  let settling: Promise<void> = Promise.resolve();
  return async (context, input) => {
    await settling;
    const taken = next ?? prepare(createPlugin, context);
    next = undefined;
    let prepared: Prepared | undefined;
    try {
      prepared = await taken;
      if (input === null) return null;
      const output = await prepared.plugin.call('execute', input);
      if (!output) return '';
      return decodeOutput(
        new Uint8Array(output.buffer, output.byteOffset, output.byteLength),
        context.outputBytes,
      );
    } catch (error) {
      throw failureOfRun(error, context, prepared?.memory);
    } finally {
      const used = prepared;
      // After the answer is posted: the answer does not wait for this, the next run does.
      settling = new Promise((resolve) =>
        setImmediate(() => {
          wipe(used?.memory);
          const closed = used ? used.plugin.close().catch(() => undefined) : Promise.resolve();
          next = prepare(createPlugin, context);
          // Told to the run that takes it, not here.
          next.catch(() => undefined);
          void closed.then(() => resolve());
        }),
      );
    }
  };
}
