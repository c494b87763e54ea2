import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  capModuleLimits,
  checkImports,
  detectAbi,
  ModuleRefused,
  TABLE_CAP,
  WASM_PAGE,
  type Grants,
} from '../../../electron/plugin-host/wasm-module';
import { buildModule, limits, memoryLimits } from './wasm-builder';

// The module rewrite that makes the memory limit real (Extism's maxPages does
// not cap a plugin's own linear memory), the ABI detection, and the import
// check that keeps a plugin to what it was granted.

const MiB = 1_048_576;
const CAP = 16 * MiB;
const CAP_PAGES = CAP / WASM_PAGE;

function refusal(run: () => unknown): ModuleRefused {
  try {
    run();
  } catch (error) {
    if (error instanceof ModuleRefused) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('capModuleLimits: the memory section', () => {
  it('gives a memory without a maximum the cap as its maximum', () => {
    const out = capModuleLimits(buildModule({ memories: [limits(1)] }), CAP);
    expect(memoryLimits(out)).toEqual({ flags: 1, min: 1, max: CAP_PAGES });
    expect(WebAssembly.validate(out)).toBe(true);
  });

  it('lowers a maximum above the cap, keeps one below it', () => {
    expect(
      memoryLimits(capModuleLimits(buildModule({ memories: [limits(2, 65_536)] }), CAP)),
    ).toEqual({
      flags: 1,
      min: 2,
      max: CAP_PAGES,
    });
    expect(memoryLimits(capModuleLimits(buildModule({ memories: [limits(2, 10)] }), CAP))).toEqual({
      flags: 1,
      min: 2,
      max: 10,
    });
  });

  it('accepts a minimum equal to the cap, refuses one above it as a memory failure', () => {
    expect(
      memoryLimits(capModuleLimits(buildModule({ memories: [limits(CAP_PAGES)] }), CAP))?.min,
    ).toBe(CAP_PAGES);
    const error = refusal(() =>
      capModuleLimits(buildModule({ memories: [limits(CAP_PAGES + 1)] }), CAP),
    );
    expect(error.failure).toBe('memory');
    expect(error.message).toMatch(/16 MiB/);
  });

  it('rounds the cap down to whole pages', () => {
    const out = capModuleLimits(buildModule({ memories: [limits(1)] }), CAP + 1000);
    expect(memoryLimits(out)?.max).toBe(CAP_PAGES);
  });

  it('refuses imported, shared and 64-bit memories, and several memories', () => {
    expect(
      refusal(() => capModuleLimits(buildModule({ memoryImport: limits(1, 2) }), CAP)).message,
    ).toMatch(/imports its memory/);
    expect(
      refusal(() => capModuleLimits(buildModule({ memories: [limits(1, 2, 0x03)] }), CAP)).message,
    ).toMatch(/shared/);
    expect(
      refusal(() => capModuleLimits(buildModule({ memories: [limits(1, 2, 0x05)] }), CAP)).message,
    ).toMatch(/64-bit/);
    expect(
      refusal(() => capModuleLimits(buildModule({ memories: [limits(1, undefined, 0x04)] }), CAP))
        .message,
    ).toMatch(/64-bit/);
    expect(
      refusal(() => capModuleLimits(buildModule({ memories: [limits(1), limits(1)] }), CAP))
        .message,
    ).toMatch(/several memories/);
  });

  it('refuses what is not a WebAssembly 1.0 module, and truncated sections', () => {
    expect(
      refusal(() => capModuleLimits(new TextEncoder().encode('#!/bin/sh\n'), CAP)).failure,
    ).toBe('invalid_module');
    const good = buildModule({ memories: [limits(1)] });
    expect(refusal(() => capModuleLimits(good.subarray(0, good.length - 1), CAP)).failure).toBe(
      'invalid_module',
    );
  });

  it('leaves every other byte as it was', () => {
    const original = buildModule({
      exports: ['execute'],
      functionImports: [['extism:host/env', 'alloc']],
    });
    expect(capModuleLimits(original, CAP)).toEqual(original);
  });

  it('makes memory.grow past the cap fail inside the module and from JavaScript', async () => {
    const out = capModuleLimits(
      buildModule({ memories: [limits(1)], grow: true, exportMemory: true }),
      CAP,
    );
    const { exports } = await WebAssembly.instantiate(await WebAssembly.compile(out));
    const grow = exports.grow as (pages: number) => number;
    const memory = exports.memory as WebAssembly.Memory;
    expect(grow(CAP_PAGES - 1)).toBe(1); // up to the cap: fine
    expect(grow(1)).toBe(-1); // one page past it: memory.grow fails, no trap
    expect(memory.buffer.byteLength).toBe(CAP);
    expect(() => memory.grow(1)).toThrow(RangeError);
  });

  it('caps a real fixture module and it still compiles', async () => {
    const fixture = join(import.meta.dirname, '../../../plugins/fixtures/echo/build/plugin.wasm');
    const out = capModuleLimits(new Uint8Array(readFileSync(fixture)), 64 * MiB);
    expect(memoryLimits(out)).toMatchObject({ max: 1024 });
    const module = await WebAssembly.compile(out);
    expect(detectAbi(module)).toBe('extism');
  });
});

describe('capModuleLimits: tables', () => {
  it('gives tables a maximum, refuses a start above the cap and unknown element types', () => {
    const out = capModuleLimits(buildModule({ tables: [{ limits: limits(1) }] }), CAP);
    expect(WebAssembly.validate(out)).toBe(true);
    expect(out).not.toEqual(buildModule({ tables: [{ limits: limits(1) }] }));
    expect(capModuleLimits(buildModule({ tables: [{ limits: limits(1, 5) }] }), CAP)).toEqual(
      buildModule({ tables: [{ limits: limits(1, 5) }] }),
    );
    expect(
      capModuleLimits(buildModule({ tables: [{ limits: limits(1, TABLE_CAP * 2) }] }), CAP),
    ).toEqual(buildModule({ tables: [{ limits: limits(1, TABLE_CAP) }] }));
    expect(
      refusal(() =>
        capModuleLimits(buildModule({ tables: [{ limits: limits(TABLE_CAP + 1) }] }), CAP),
      ).failure,
    ).toBe('invalid_module');
    expect(
      refusal(() =>
        capModuleLimits(buildModule({ tables: [{ type: 0x64, limits: limits(1) }] }), CAP),
      ).failure,
    ).toBe('invalid_module');
  });
});

const compile = (spec: Parameters<typeof buildModule>[0]) =>
  new WebAssembly.Module(capModuleLimits(buildModule({ memories: [limits(1)], ...spec }), CAP));
const VULTRINO = ['vultrino_plugin_version', 'vultrino_alloc', 'vultrino_free', 'vultrino_execute'];

describe('detectAbi', () => {
  it('tells Extism from Vultrino by the exports', () => {
    expect(detectAbi(compile({ exports: ['execute'] }))).toBe('extism');
    expect(detectAbi(compile({ exports: VULTRINO, exportMemory: true }))).toBe('vultrino');
  });

  it('refuses neither, both, and a Vultrino module without its memory exported', () => {
    expect(refusal(() => detectAbi(compile({ exports: ['main'] }))).message).toMatch(/neither/);
    expect(
      refusal(() => detectAbi(compile({ exports: ['execute', ...VULTRINO], exportMemory: true })))
        .message,
    ).toMatch(/both/);
    expect(refusal(() => detectAbi(compile({ exports: VULTRINO }))).message).toMatch(/memory/);
  });
});

describe('checkImports', () => {
  const none: Grants = { crypto: false, log: false, http: false };
  const all: Grants = { crypto: true, log: true, http: true };
  const extism = (...imports: [string, string][]) =>
    compile({ exports: ['execute'], functionImports: imports });
  const vultrino = (...imports: [string, string][]) =>
    compile({ exports: VULTRINO, exportMemory: true, functionImports: imports });
  const denied = (run: () => void) => {
    const error = refusal(run);
    expect(error.failure).toBe('capability_denied');
    return error.message;
  };

  it("allows Extism's kernel functions to every plugin", () => {
    expect(() =>
      checkImports(
        extism(['extism:host/env', 'alloc'], ['extism:host/env', 'output_set']),
        'extism',
        none,
      ),
    ).not.toThrow();
  });

  it('allows each custodian_* function only with its capability, naming both when refused', () => {
    for (const [fn, capability] of [
      ['custodian_crypto', 'crypto'],
      ['custodian_http', 'http'],
      ['custodian_log', 'log'],
    ] as const) {
      const module = extism(['extism:host/user', fn]);
      expect(denied(() => checkImports(module, 'extism', none))).toContain(
        `"${capability}" capability`,
      );
      expect(denied(() => checkImports(module, 'extism', none))).toContain(fn);
      expect(() => checkImports(module, 'extism', { ...none, [capability]: true })).not.toThrow();
    }
  });

  it("never allows Extism's own HTTP, and its log_* only with log", () => {
    expect(
      denied(() => checkImports(extism(['extism:host/env', 'http_request']), 'extism', all)),
    ).toMatch(/http_request.*custodian_http/);
    expect(
      denied(() => checkImports(extism(['extism:host/env', 'log_info']), 'extism', none)),
    ).toMatch(/"log"/);
    expect(() =>
      checkImports(extism(['extism:host/env', 'log_info']), 'extism', { ...none, log: true }),
    ).not.toThrow();
  });

  it('refuses WASI, env and unknown namespaces or functions for Extism plugins', () => {
    expect(
      denied(() => checkImports(extism(['wasi_snapshot_preview1', 'fd_write']), 'extism', all)),
    ).toMatch(/WASI/);
    expect(denied(() => checkImports(extism(['env', 'abort']), 'extism', all))).toMatch(/env/);
    expect(
      denied(() => checkImports(extism(['extism:host/user', 'custodian_shell']), 'extism', all)),
    ).toMatch(/no Custodian host function/);
  });

  it('gives Vultrino plugins WASI and env.abort only', () => {
    expect(() =>
      checkImports(
        vultrino(['wasi_snapshot_preview1', 'path_open'], ['env', 'abort']),
        'vultrino',
        none,
      ),
    ).not.toThrow();
    expect(
      denied(() =>
        checkImports(vultrino(['extism:host/user', 'custodian_crypto']), 'vultrino', all),
      ),
    ).toMatch(/Vultrino/);
  });
});
