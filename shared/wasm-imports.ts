import type { PluginAbi } from './plugin-host-protocol';
import {
  HOST_FUNCTION_NAMESPACE,
  HOST_FUNCTIONS,
  type CapabilityName,
  type HostFunctionName,
} from './plugin-abi';

// What a plugin's module may import and export, judged on the module alone.
// The plugin host checks this before it runs a module, and the store before an
// archive reaches the plugins folder, so both refuse the same modules with the
// same words.

export class ModuleRefused extends Error {
  constructor(
    readonly failure: 'invalid_module' | 'memory' | 'capability_denied',
    message: string,
  ) {
    super(message);
    this.name = 'ModuleRefused';
  }
}

const VULTRINO_EXPORTS = [
  'vultrino_plugin_version',
  'vultrino_alloc',
  'vultrino_free',
  'vultrino_execute',
] as const;

/** Tells the ABI from the exports: `execute` is Extism, the vultrino_* set is Vultrino. */
export function detectAbi(module: WebAssembly.Module): PluginAbi {
  const exports = WebAssembly.Module.exports(module);
  const fn = (name: string) => exports.some((e) => e.name === name && e.kind === 'function');
  const extism = fn('execute');
  const vultrino = VULTRINO_EXPORTS.every(fn);
  if (extism && vultrino)
    throw new ModuleRefused(
      'invalid_module',
      'the module exports both the Extism and the Vultrino ABI; export one',
    );
  if (extism) return 'extism';
  if (vultrino) {
    if (!exports.some((e) => e.name === 'memory' && e.kind === 'memory'))
      throw new ModuleRefused(
        'invalid_module',
        'a Vultrino-ABI module must export its memory as "memory"',
      );
    return 'vultrino';
  }
  const missing = VULTRINO_EXPORTS.filter((name) => !fn(name));
  throw new ModuleRefused(
    'invalid_module',
    `the module exports neither "execute" (Extism ABI) nor the Vultrino ABI (missing ${missing.join(', ')})`,
  );
}

export const EXTISM_ENV = 'extism:host/env';
export const WASI_NAMESPACE = 'wasi_snapshot_preview1';
/** Extism's own HTTP, which a redirect can take past its host check: never offered. */
const EXTISM_HTTP = new Set(['http_request', 'http_status_code', 'http_headers']);
const EXTISM_LOG = new Set([
  'log_trace',
  'log_debug',
  'log_info',
  'log_warn',
  'log_error',
  'get_log_level',
]);

export interface Grants {
  crypto: boolean;
  log: boolean;
  http: boolean;
}

/**
 * Refuses (capability_denied) a module that imports anything it was not
 * granted. Extism ABI: `extism:host/env` (its HTTP never, its log_* only with
 * the log capability) and the granted custodian_* functions. Vultrino ABI:
 * WASI preview 1, served by a deny-by-default shim, and `env.abort`.
 * Memories, tables and globals are never imported.
 */
export function checkImports(module: WebAssembly.Module, abi: PluginAbi, grants: Grants): void {
  for (const { module: ns, name, kind } of WebAssembly.Module.imports(module)) {
    const what = `"${ns}" "${name}"`;
    if (kind !== 'function')
      throw new ModuleRefused(
        'capability_denied',
        `the module imports the ${kind} ${what}; plugins may import functions only`,
      );
    if (abi === 'vultrino') {
      if (ns === WASI_NAMESPACE || (ns === 'env' && name === 'abort')) continue;
      throw new ModuleRefused(
        'capability_denied',
        `the module imports ${what}; a Vultrino-ABI plugin gets WASI (files, network and environment denied) and env.abort only`,
      );
    }
    if (ns === EXTISM_ENV) {
      if (EXTISM_HTTP.has(name))
        throw new ModuleRefused(
          'capability_denied',
          `the module imports Extism's ${what}; plugins reach the network only through custodian_http with the "http" capability`,
        );
      if (EXTISM_LOG.has(name) && !grants.log)
        throw new ModuleRefused(
          'capability_denied',
          `the module imports ${what}, which needs the "log" capability`,
        );
      continue;
    }
    if (ns === HOST_FUNCTION_NAMESPACE) {
      const capability = (HOST_FUNCTIONS as Record<string, CapabilityName | undefined>)[name];
      if (!capability)
        throw new ModuleRefused(
          'capability_denied',
          `the module imports ${what}, which is no Custodian host function`,
        );
      if (!grants[capability])
        throw new ModuleRefused(
          'capability_denied',
          `the module imports ${what}, which needs the "${capability}" capability, not granted to this plugin`,
        );
      continue;
    }
    throw new ModuleRefused(
      'capability_denied',
      ns === WASI_NAMESPACE
        ? `the module imports ${what}; Extism plugins run without WASI`
        : `the module imports ${what}, which this host does not offer`,
    );
  }
}

/** The custodian_* host functions a module imports (all of them granted once checkImports passed). */
export function importedHostFunctions(module: WebAssembly.Module): HostFunctionName[] {
  return WebAssembly.Module.imports(module)
    .filter((i) => i.module === HOST_FUNCTION_NAMESPACE && i.name in HOST_FUNCTIONS)
    .map((i) => i.name as HostFunctionName);
}
