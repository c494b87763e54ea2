import { parentPort, workerData } from 'node:worker_threads';
import { extismAbi, type CreatePlugin } from './extism-abi';
import { classify } from './failure';
import { hostRpc } from './host-rpc';
import { PluginLogForwarder } from './plugin-log';
import type { WorkerData, WorkerMessage, WorkerRequest } from './protocol';
import type { RunContext, RunPlugin } from './run-context';
import { runVultrino } from './vultrino-abi';

// The entry of one plugin's worker thread (started by ../plugin-worker.ts from
// the bundle ../worker-code.ts gives). It imports only Node built-ins; Extism
// comes from the absolute URL the host resolved (workerData.extismUrl).
//
// The worker compiles the (already limit-capped) module once, then for every
// message makes a fresh instance, runs it and throws it away, so nothing a call
// leaves in memory (a credential, a half-grown heap) reaches the next call.

if (!parentPort) throw new Error('the plugin worker must run in a worker thread');
const port = parentPort;
const data = workerData as WorkerData;
const post = (message: WorkerMessage): void => port.postMessage(message);
const log = new PluginLogForwarder(data, post);

async function start(): Promise<{ context: RunContext; run: RunPlugin }> {
  const module = await WebAssembly.compile(data.wasm);
  let run = runVultrino;
  if (data.abi === 'extism') {
    const extism = (await import(data.extismUrl)) as { createPlugin: CreatePlugin };
    run = extismAbi(extism.createPlugin);
  }
  const context: RunContext = {
    module,
    memoryBytes: data.memoryBytes,
    maxPages: data.maxPages,
    outputBytes: data.outputBytes,
    hostFunctions: data.hostFunctions,
    rpc: hostRpc(new Int32Array(data.rpcFlag), data.rpcPort, post),
    log,
  };
  return { context, run };
}

function serve({ context, run }: { context: RunContext; run: RunPlugin }): void {
  port.on('message', async (message: WorkerRequest) => {
    try {
      log.reset();
      const output = await run(context, message.type === 'call' ? message.input : null);
      post({ type: 'done', id: message.id, ok: true, output });
    } catch (error) {
      const [failure, text] = classify(error, {
        memoryBytes: data.memoryBytes,
        memoryHit: log.memoryHit,
      });
      post({ type: 'done', id: message.id, ok: false, failure, message: text });
    }
  });
}

try {
  serve(await start());
  post({ type: 'ready' });
} catch (error) {
  post({ type: 'ready-failed', message: String((error as Error | undefined)?.message || error) });
}
