// The code of one plugin's worker thread, kept as a string and started from a
// data: URL, so it needs no file of its own: the same source runs under tsx,
// under Vitest, from the electron-vite bundle and from inside an asar archive.
// It is plain JavaScript (worker threads do not get the parent's TypeScript
// loader) and imports only Node built-ins; Extism comes from the absolute URL
// the host resolved (workerData.extismUrl).
//
// The worker compiles the (already limit-capped) module once, then for every
// message makes a fresh instance, runs it and throws it away, so nothing a call
// leaves in memory (a credential, a half-grown heap) reaches the next call.
// Host functions are synchronous calls into the host thread: the worker posts
// the request, sleeps on a shared flag, and takes the reply from its own
// MessagePort with receiveMessageOnPort. The host thread owns every decision
// (grants, checked fetch, scrubbing); the worker only carries bytes.
//
// Messages in:  {type:'probe', id} instantiate only | {type:'call', id, input}
// Messages out: {type:'ready'} | {type:'done', id, ok, output | failure, message}
//               {type:'rpc', fn, request} | {type:'log', level, message, truncated}

export const WORKER_SOURCE = String.raw`
import { parentPort, workerData, receiveMessageOnPort } from 'node:worker_threads';
import { getRandomValues } from 'node:crypto';

const data = workerData;
const flag = new Int32Array(data.rpcFlag);
const MIB = 1048576;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

class Failure extends Error {
  constructor(failure, message) { super(message); this.failure = failure; }
}
class ProcExit extends Error {
  constructor(code) { super('the plugin called proc_exit(' + code + ')'); }
}
class Abort extends Error {
  constructor() { super('the plugin aborted'); }
}

let module;
let createPlugin;
let memoryHit = false;

function rpc(fn, request) {
  Atomics.store(flag, 0, 0);
  parentPort.postMessage({ type: 'rpc', fn, request });
  while (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0, 1000);
  const reply = receiveMessageOnPort(data.rpcPort);
  if (!reply) throw new Error('the host did not answer a host function call');
  return reply.message;
}

function forwardLog(level, message) {
  let text = String(message);
  if (text.startsWith('memory limit exceeded')) { memoryHit = true; return; }
  if (!data.logGranted) return;
  const truncated = text.length > data.rawLineMax;
  if (truncated) text = text.slice(0, data.rawLineMax);
  parentPort.postMessage({ type: 'log', level, message: text, truncated });
}
const logger = {};
for (const level of ['trace', 'debug', 'info', 'warn', 'error'])
  logger[level] = (message) => forwardLog(level, message);
const deniedFetch = () => Promise.reject(new Error('network access goes through custodian_http only'));

function wipe(memory) {
  try { if (memory) new Uint8Array(memory.buffer).fill(0); } catch {}
}

// A trap with the memory within an eighth (at most 2 MiB) of its cap is taken
// for a failed memory.grow: the runtime's allocator traps when grow returns -1.
function memoryNearCap(memory) {
  try {
    const slack = Math.min(2 * MIB, data.memoryBytes / 8);
    return data.memoryBytes - memory.buffer.byteLength <= slack;
  } catch { return false; }
}

function checkOutputSize(length) {
  if (length > data.outputBytes)
    throw new Failure('output-too-large', 'the plugin returned ' + length +
      ' bytes, more than its output limit of ' + data.outputBytes + ' bytes');
}

function decodeOutput(bytes) {
  checkOutputSize(bytes.byteLength);
  try { return decoder.decode(bytes); }
  catch { throw new Failure('error', 'the plugin returned output that is not UTF-8 text'); }
}

function classify(error, memory) {
  if (error instanceof Failure) return [error.failure, error.message];
  const message = String((error && error.message) || error);
  const limit = (data.memoryBytes / MIB) + ' MiB';
  if (memoryHit) return ['memory', 'the plugin asked for more memory than its limit of ' + limit];
  if (error instanceof ProcExit) return ['trap', message];
  if (error instanceof Abort) return ['trap', message];
  if (error instanceof WebAssembly.RuntimeError) {
    if (memoryNearCap(memory))
      return ['memory', 'the plugin stopped at its memory limit of ' + limit + ' (' + message + ')'];
    return ['trap', 'the plugin trapped: ' + message];
  }
  if (error instanceof RangeError) {
    if (/call stack/i.test(message)) return ['trap', 'the plugin overflowed its stack'];
    if (/memory|allocation/i.test(message))
      return ['memory', 'the plugin asked for more memory than its limit of ' + limit];
  }
  if (error instanceof WebAssembly.LinkError || error instanceof WebAssembly.CompileError)
    return ['invalid-module', message];
  const pluginError = /^Plugin-originated error: ([\s\S]*)$/.exec(message);
  if (pluginError) return ['error', 'the plugin reported an error: ' + pluginError[1]];
  return ['error', message];
}

// ---- Extism ABI ----------------------------------------------------------

async function runExtism(input, probe) {
  const functions = {};
  if (data.hostFunctions.length) {
    const user = (functions['extism:host/user'] = {});
    for (const name of data.hostFunctions)
      user[name] = (context, offset) => {
        const block = context.read(offset);
        return context.store(rpc(name, block ? block.text() : ''));
      };
  }
  let plugin;
  let memory;
  try {
    plugin = await createPlugin({ wasm: [{ module }] }, {
      useWasi: false,
      runInWorker: false,
      functions,
      logger,
      logLevel: 'trace',
      allowedHosts: [],
      allowedPaths: {},
      config: {},
      enableWasiOutput: false,
      fetch: deniedFetch,
      memory: { maxPages: data.maxPages, maxHttpResponseBytes: 0, maxVarBytes: MIB },
    });
    memory = (await plugin.getInstance()).exports.memory;
    if (probe) return null;
    const output = await plugin.call('execute', input);
    if (!output) return '';
    return decodeOutput(new Uint8Array(output.buffer, output.byteOffset, output.byteLength));
  } catch (error) {
    throw new Failure(...classify(error, memory));
  } finally {
    wipe(memory);
    if (plugin) { try { await plugin.reset(); await plugin.close(); } catch {} }
  }
}

// ---- Vultrino ABI --------------------------------------------------------

const ERRNO = { SUCCESS: 0, ACCES: 2, BADF: 8, FAULT: 21, INVAL: 28, NOSYS: 52 };
const RANDOM_CAP = MIB;

function wasiShim(getMemory) {
  const view = () => new DataView(getMemory().buffer);
  const fits = (ptr, len) => ptr >= 0 && len >= 0 && ptr + len <= getMemory().buffer.byteLength;
  const now = (id) => {
    if (id === 0) return BigInt(Date.now()) * 1000000n;
    if (id >= 1 && id <= 3) return process.hrtime.bigint();
    return null;
  };
  const allowed = {
    random_get(ptr, len) {
      if (!getMemory()) return ERRNO.NOSYS;
      if (len > RANDOM_CAP) return ERRNO.INVAL;
      if (!fits(ptr, len)) return ERRNO.FAULT;
      for (let at = 0; at < len; at += 65536)
        getRandomValues(new Uint8Array(getMemory().buffer, ptr + at, Math.min(65536, len - at)));
      return ERRNO.SUCCESS;
    },
    clock_time_get(id, _precision, out) {
      const value = now(id);
      if (value === null) return ERRNO.INVAL;
      if (!getMemory() || !fits(out, 8)) return ERRNO.FAULT;
      view().setBigUint64(out, value, true);
      return ERRNO.SUCCESS;
    },
    clock_res_get(id, out) {
      if (now(id) === null) return ERRNO.INVAL;
      if (!getMemory() || !fits(out, 8)) return ERRNO.FAULT;
      view().setBigUint64(out, 1000n, true);
      return ERRNO.SUCCESS;
    },
    args_sizes_get(count, size) { return zeroPair(count, size); },
    environ_sizes_get(count, size) { return zeroPair(count, size); },
    args_get() { return ERRNO.SUCCESS; },
    environ_get() { return ERRNO.SUCCESS; },
    sched_yield() { return ERRNO.SUCCESS; },
    proc_exit(code) { throw new ProcExit(code); },
  };
  function zeroPair(a, b) {
    if (!getMemory() || !fits(a, 4) || !fits(b, 4)) return ERRNO.FAULT;
    view().setUint32(a, 0, true);
    view().setUint32(b, 0, true);
    return ERRNO.SUCCESS;
  }
  const denied = (name) => {
    // No descriptors exist (libc's preopen scan stops at BADF), no paths may be
    // opened, and there is no network, signal or poll.
    if (name.startsWith('fd_')) return () => ERRNO.BADF;
    if (name.startsWith('path_')) return () => ERRNO.ACCES;
    return () => ERRNO.NOSYS;
  };
  const imports = {};
  for (const entry of WebAssembly.Module.imports(module))
    if (entry.module === 'wasi_snapshot_preview1')
      imports[entry.name] = Object.prototype.hasOwnProperty.call(allowed, entry.name)
        ? allowed[entry.name]
        : denied(entry.name);
  return imports;
}

function writeBytes(memory, alloc, bytes, what) {
  const ptr = alloc(bytes.length) >>> 0;
  if (ptr === 0 && bytes.length > 0) throw new Failure('memory', 'the plugin could not allocate room for ' + what);
  if (ptr + bytes.length > memory.buffer.byteLength)
    throw new Failure('error', 'the plugin gave an address outside its memory for ' + what);
  new Uint8Array(memory.buffer, ptr, bytes.length).set(bytes);
  return ptr;
}

async function runVultrino(input, probe) {
  let memory;
  try {
    const instance = await WebAssembly.instantiate(module, {
      wasi_snapshot_preview1: wasiShim(() => memory),
      env: { abort: () => { throw new Abort(); } },
    });
    const x = instance.exports;
    memory = x.memory;
    if (typeof x._initialize === 'function') x._initialize();
    const version = x.vultrino_plugin_version();
    if (version !== 1)
      throw new Failure('invalid-module', 'the module speaks Vultrino ABI version ' + version + '; this host runs version 1');
    if (probe) return null;

    if (typeof x.vultrino_validate_params === 'function') {
      let request = null;
      try { request = JSON.parse(input); } catch {}
      if (request && typeof request.action === 'string') {
        const action = encoder.encode(request.action);
        const params = encoder.encode(JSON.stringify(request.parameters ?? {}));
        const actionPtr = writeBytes(memory, x.vultrino_alloc, action, 'the action name');
        const paramsPtr = writeBytes(memory, x.vultrino_alloc, params, 'the parameters');
        const code = x.vultrino_validate_params(actionPtr, action.length, paramsPtr, params.length);
        if (code !== 0)
          return JSON.stringify({
            code: code === -2 ? -2 : -3,
            data: null,
            error: code === -2 ? 'unknown action "' + request.action + '"' : 'invalid parameters',
          });
      }
    }

    const bytes = encoder.encode(input);
    const ptr = writeBytes(memory, x.vultrino_alloc, bytes, 'its input');
    const packed = BigInt.asUintN(64, BigInt(x.vultrino_execute(ptr, bytes.length)));
    const outPtr = Number(packed >> 32n);
    const outLen = Number(packed & 0xffffffffn);
    checkOutputSize(outLen);
    if (outPtr + outLen > memory.buffer.byteLength)
      throw new Failure('error', 'the plugin returned a response outside its memory');
    const text = decodeOutput(new Uint8Array(memory.buffer, outPtr, outLen).slice());
    // The instance is thrown away anyway; freeing keeps to the ABI.
    try { x.vultrino_free(outPtr, outLen); x.vultrino_free(ptr, bytes.length); } catch {}
    return text;
  } catch (error) {
    throw new Failure(...classify(error, memory));
  } finally {
    wipe(memory);
  }
}

// ---- loop ------------------------------------------------------------------

parentPort.on('message', async (message) => {
  const run = data.abi === 'vultrino' ? runVultrino : runExtism;
  try {
    memoryHit = false;
    const output = await run(message.input, message.type === 'probe');
    parentPort.postMessage({ type: 'done', id: message.id, ok: true, output });
  } catch (error) {
    const [failure, text] = error instanceof Failure ? [error.failure, error.message] : classify(error);
    parentPort.postMessage({ type: 'done', id: message.id, ok: false, failure, message: text });
  }
});

try {
  module = await WebAssembly.compile(data.wasm);
  if (data.abi === 'extism') ({ createPlugin } = await import(data.extismUrl));
  parentPort.postMessage({ type: 'ready' });
} catch (error) {
  parentPort.postMessage({ type: 'ready-failed', message: String((error && error.message) || error) });
}
`;
