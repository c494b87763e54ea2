// The plugins built from source by `npm run plugins:build`: every manifest is
// valid, every module imports only what it should, and the SDK's request,
// response and host-call plumbing round-trips in real Extism. The limits and
// the real host functions are proven through the plugin host, not here.
import { execFileSync } from 'node:child_process';
import { createHmac, createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import createPlugin, { type CallContext, type Plugin } from '@extism/extism';
import { parse as parseToml } from 'smol-toml';
import { beforeAll, describe, expect, it } from 'vitest';
import { outputMismatch } from '../../../electron/core/plugins/output-schema';
import { parseManifest } from '../../../electron/core/plugins/manifest-parser';
import { pluginManifestSchema, type PluginManifest } from '../../../shared/manifest';
import { HOST_FUNCTION_NAMESPACE, HOST_FUNCTIONS } from '../../../shared/plugin-abi';

const root = join(import.meta.dirname, '..', '..', '..');
const fixturesDir = join(root, 'plugins', 'fixtures');
const fixtures = readdirSync(fixturesDir).filter((name) =>
  existsSync(join(fixturesDir, name, 'plugin.toml')),
);
const folderOf = (name: string) =>
  name === 'template' ? join(root, 'plugins', 'template') : join(fixturesDir, name);
const wasmOf = (name: string) => readFileSync(join(folderOf(name), 'build', 'plugin.wasm'));
const manifestOf = (name: string): PluginManifest =>
  pluginManifestSchema.parse(
    parseToml(readFileSync(join(folderOf(name), 'build', 'plugin.toml'), 'utf8')),
  );

const EXTISM_ENV = 'extism:host/env';
const WASI = 'wasi_snapshot_preview1';
type HostFunction = (context: CallContext, offset: bigint) => bigint;
const b64 = (text: string) => Buffer.from(text).toString('base64');

/** The custodian_* functions each module must import (exactly). */
const EXPECTED_HOST_IMPORTS: Record<string, string[]> = {
  echo: [],
  'loop-call': [],
  'loop-start': [],
  'memory-hog': [],
  'huge-output': [],
  trap: [],
  'secret-leaker': [],
  'http-fetch': ['custodian_http'],
  'crypto-probe': ['custodian_crypto'],
  'log-spam': ['custodian_log'],
  'undeclared-http': ['custodian_http'],
  'extism-http': [],
  'handle-thief': ['custodian_crypto', 'custodian_http'],
  'key-import': ['custodian_crypto', 'custodian_http', 'custodian_log'],
  template: ['custodian_crypto'],
};

beforeAll(() => {
  // Builds what changed since the last build (nothing, usually).
  execFileSync(process.execPath, [join(root, 'build', 'scripts', 'build-plugins.mjs')], {
    cwd: root,
    stdio: 'pipe',
  });
});

describe('the built plugin folders', () => {
  it('has every fixture the plugin host tests use', () => {
    expect([...fixtures].sort()).toEqual(
      Object.keys(EXPECTED_HOST_IMPORTS)
        .filter((name) => name !== 'template')
        .concat('vultrino-echo')
        .sort(),
    );
  });

  it.each([...fixtures, 'template'])(
    '%s: a complete folder with a valid plugin.toml named after it',
    (name) => {
      const folder = folderOf(name);
      const source = readFileSync(join(folder, 'plugin.toml'), 'utf8');
      expect(readFileSync(join(folder, 'build', 'plugin.toml'), 'utf8')).toBe(source);
      const manifest = manifestOf(name);
      expect(manifest.plugin.name).toBe(name);
      expect(manifest.plugin.wasm_module).toBe('plugin.wasm');
      expect(manifest.credential_types.length).toBeGreaterThan(0);
      expect(manifest.actions.length).toBeGreaterThan(0);
      expect(existsSync(join(folder, 'build', 'plugin.wasm'))).toBe(true);
    },
  );

  it('uses credential type and tool names no other plugin uses', () => {
    const types = [...fixtures, 'template'].flatMap((name) =>
      manifestOf(name).credential_types.map((t) => t.name),
    );
    const tools = [...fixtures, 'template'].flatMap((name) =>
      manifestOf(name).mcp_tools.map((t) => t.name),
    );
    expect(new Set(types).size).toBe(types.length);
    expect(new Set(tools).size).toBe(tools.length);
  });
});

describe('module imports and exports', () => {
  it.each(Object.keys(EXPECTED_HOST_IMPORTS))(
    '%s: exports execute and memory, imports only the expected host functions',
    (name) => {
      const module = new WebAssembly.Module(wasmOf(name));
      const exports = WebAssembly.Module.exports(module);
      expect(exports).toContainEqual({ name: 'execute', kind: 'function' });
      expect(exports).toContainEqual({ name: 'memory', kind: 'memory' });
      const imports = WebAssembly.Module.imports(module);
      for (const i of imports) {
        expect(i.kind).toBe('function');
        expect([EXTISM_ENV, HOST_FUNCTION_NAMESPACE]).toContain(i.module);
      }
      const user = imports.filter((i) => i.module === HOST_FUNCTION_NAMESPACE).map((i) => i.name);
      expect(user.sort()).toEqual(EXPECTED_HOST_IMPORTS[name]);
      const extismHttp = imports.some((i) => i.module === EXTISM_ENV && i.name === 'http_request');
      expect(extismHttp).toBe(name === 'extism-http');

      // Each import needs its capability declared, except in the fixture that proves the check.
      const { capabilities } = manifestOf(name);
      const declared = (fn: string) => {
        const capability = HOST_FUNCTIONS[fn as keyof typeof HOST_FUNCTIONS];
        return capability === 'http' ? capabilities.http.length > 0 : capabilities[capability];
      };
      expect(user.every(declared)).toBe(name !== 'undeclared-http');
    },
  );

  it('vultrino-echo: exports the Vultrino ABI and imports only WASI', () => {
    const module = new WebAssembly.Module(wasmOf('vultrino-echo'));
    const exports = WebAssembly.Module.exports(module).map((e) => e.name);
    expect(exports.sort()).toEqual(
      [
        'memory',
        'vultrino_alloc',
        'vultrino_execute',
        'vultrino_free',
        'vultrino_plugin_version',
        'vultrino_validate_params',
      ].sort(),
    );
    const imports = WebAssembly.Module.imports(module);
    expect(imports.every((i) => i.module === WASI && i.kind === 'function')).toBe(true);
    expect(imports.map((i) => i.name).sort()).toEqual(
      [
        'clock_time_get',
        'environ_get',
        'environ_sizes_get',
        'fd_write',
        'path_open',
        'random_get',
      ].sort(),
    );
  });
});

// ── the SDK in real Extism ─────────────────────────────────────────────────

async function load(name: string, functions: Record<string, HostFunction> = {}): Promise<Plugin> {
  return createPlugin(
    { wasm: [{ data: wasmOf(name) }] },
    { useWasi: false, functions: { [HOST_FUNCTION_NAMESPACE]: functions } },
  );
}

interface Output {
  code: number;
  data: unknown;
  error: string | null;
}

async function call(
  plugin: Plugin,
  action: string,
  parameters: Record<string, unknown> = {},
  credential: Record<string, string | boolean> = {},
): Promise<Output> {
  const output = await plugin.call('execute', JSON.stringify({ action, credential, parameters }));
  return JSON.parse(output?.text() ?? 'null') as Output;
}

/** A host function answering `respond(request)` and recording the requests it got. */
function fakeHost(respond: (request: Record<string, unknown>) => unknown) {
  const requests: Record<string, unknown>[] = [];
  const fn: HostFunction = (context, offset) => {
    const request = JSON.parse(context.read(offset)?.text() ?? 'null') as Record<string, unknown>;
    requests.push(request);
    return context.store(JSON.stringify(respond(request)));
  };
  return { fn, requests };
}

describe('echo in real Extism', () => {
  let plugin: Plugin;
  beforeAll(async () => {
    plugin = await load('echo');
  });

  it('round-trips parameters and names the credential fields, never their values', async () => {
    const parameters = {
      message: 'quote " backslash \\ newline \n nul \u0000 é 😀 \u2028',
      count: 9007199254740991,
      ratio: -1.5e-7,
      flag: true,
      options: { nested: { deeper: [1, 2, { x: null }] }, empty: {} },
      items: [],
      mode: 'fancy',
    };
    const credential = { token: 'tok-SECRET-value', label: 'work 🔑', enabled: true };
    const output = await call(plugin, 'echo', parameters, credential);
    expect(output).toEqual({
      code: 0,
      data: { action: 'echo', parameters, credential_fields: ['enabled', 'label', 'token'] },
      error: null,
    });
    expect(JSON.stringify(output)).not.toContain('SECRET');
  });

  it('answers fail with -1, an unknown action with -2 and garbage with -1', async () => {
    expect(await call(plugin, 'fail', { message: 'as asked ü' })).toEqual({
      code: -1,
      data: null,
      error: 'as asked ü',
    });
    expect((await call(plugin, 'nope')).code).toBe(-2);
    const garbage = await plugin.call('execute', '{"action": 1}');
    expect(JSON.parse(garbage?.text() ?? '')).toEqual({
      code: -1,
      data: null,
      error:
        'Invalid request: expected {"action": string, "credential": object, "parameters": object}',
    });
  });
  it('parses strictly: malformed or too deeply nested input is a clean -1', async () => {
    const request = (parameters: string) =>
      `{"action":"echo","credential":{},"parameters":${parameters}}`;
    const run = async (input: string) =>
      JSON.parse((await plugin.call('execute', input))?.text() ?? '') as Output;
    for (const bad of ['{"a":[1,]}', '{"a":01}', '{"a":"\\u12"}', "{'a':1}", '{"a":1}x']) {
      expect(await run(request(bad))).toMatchObject({ code: -1 });
    }
    const nested = (depth: number) => `{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    expect(await run(request(nested(100)))).toMatchObject({ code: 0 });
    expect(await run(request(nested(10_000)))).toMatchObject({
      code: -1,
      error: expect.stringContaining('nesting too deep'),
    });
    // Escapes decode to the same text JSON.parse gives, lone surrogates included.
    const escaped = '{"s":"\\ud83d\\ude00 \\ud800 \\u00e9 \\/ \\b\\f"}';
    const output = await run(request(escaped));
    expect(output.data).toMatchObject({ parameters: JSON.parse(escaped) });
  });
});

describe('template in real Extism', () => {
  const credential = { secret: 'a-very-long-shared-secret', key_id: 'hook-1' };
  it('signs with the credential key through custodian_crypto and never returns it', async () => {
    // The plugin holds a handle; this stand-in host knows what it stands for.
    const handle = 'custodian-handle:00112233445566778899aabbccddeeff';
    const host = fakeHost((request) => {
      const ref = request.key as { handle: string; encoding: string };
      expect(ref).toEqual({ handle, encoding: 'utf8' });
      const key = Buffer.from(credential.secret, 'utf8');
      const data = Buffer.from(String(request.data), 'base64');
      const mac = createHmac(String(request.alg), key).update(data).digest('base64');
      return { ok: true, result: mac };
    });
    const plugin = await load('template', { custodian_crypto: host.fn });
    const output = await call(
      plugin,
      'sign',
      { message: 'hello ✓', algorithm: 'sha512', encoding: 'hex' },
      { secret: handle, key_id: 'hook-1' },
    );
    const expected = createHmac('sha512', credential.secret).update('hello ✓').digest('hex');
    // What the template's manifest promises agents is what it returns.
    const manifest = parseManifest(
      readFileSync(join(root, 'plugins', 'template', 'plugin.toml'), 'utf8'),
      'plugin.toml',
      '0.1.0',
    );
    const schema = manifest.mcp_tools[0]?.output_schema;
    expect(schema).toBeDefined();
    expect(outputMismatch(schema ?? {}, output.data)).toBeUndefined();
    expect(outputMismatch(schema ?? {}, { ...(output.data as object), signature: 1 })).toBe(
      'data/signature must be string',
    );
    expect(output).toEqual({
      code: 0,
      data: { signature: expected, algorithm: 'hmac-sha512', key_id: 'hook-1' },
      error: null,
    });
    expect(host.requests).toEqual([
      {
        op: 'hmac',
        alg: 'sha512',
        key: { handle, encoding: 'utf8' },
        data: Buffer.from('hello ✓').toString('base64'),
      },
    ]);
    expect((await call(plugin, 'other')).code).toBe(-2);
  });

  it('reports the host error as code -1', async () => {
    const host = fakeHost(() => ({ ok: false, error: 'crypto not granted' }));
    const plugin = await load('template', { custodian_crypto: host.fn });
    const output = await call(plugin, 'sign', { message: 'x' }, { secret: 'sixteen-chars-long' });
    expect(output).toEqual({ code: -1, data: null, error: 'Signing failed: crypto not granted' });
  });
});

describe('crypto-probe in real Extism (inline host function)', () => {
  // One request per op of CryptoRequest; values need only be base64.
  const requests: Record<string, unknown>[] = [
    { op: 'digest', alg: 'sha256', data: b64('data') },
    { op: 'hmac', alg: 'sha1', key: b64('key'), data: b64('data') },
    { op: 'random', length: 32 },
    { op: 'ed25519_public_key', seed: b64('seed') },
    { op: 'ed25519_sign', seed: b64('seed'), data: b64('data') },
    { op: 'ed25519_verify', public_key: b64('pk'), data: b64('data'), signature: b64('good') },
    { op: 'ecdsa_public_key', curve: 'p256', d: b64('d') },
    { op: 'ecdsa_sign', curve: 'p384', hash: 'sha384', d: b64('d'), data: b64('data') },
    {
      op: 'ecdsa_verify',
      curve: 'p256',
      hash: 'sha256',
      x: b64('x'),
      y: b64('y'),
      data: b64('data'),
      signature: b64('bad'),
    },
    {
      op: 'rsa_sign',
      padding: 'pss',
      hash: 'sha512',
      n: b64('n'),
      e: b64('e'),
      d: b64('d'),
      p: b64('p'),
      q: b64('q'),
      data: b64('data'),
    },
    {
      op: 'rsa_verify',
      padding: 'pkcs1',
      hash: 'sha224',
      n: b64('n'),
      e: b64('e'),
      data: b64('data'),
      signature: b64('good'),
    },
    {
      op: 'aes_decrypt',
      mode: 'cfb',
      key: b64('k'.repeat(16)),
      iv: b64('i'.repeat(16)),
      data: b64('c'),
    },
    { op: 'aes_decrypt', mode: 'ecb', key: b64('k'.repeat(32)), data: b64('c'.repeat(16)) },
  ];
  /** Deterministic answers in the shapes the SDK reads. */
  const respond = (request: Record<string, unknown>) => {
    const digest = createHash('sha256').update(JSON.stringify(request)).digest('base64');
    const op = String(request.op);
    if (op.endsWith('_verify')) return { ok: true, valid: request.signature === b64('good') };
    if (op === 'ecdsa_public_key') return { ok: true, x: digest, y: b64('y') };
    if (op === 'fail') return { ok: false, error: 'unknown op "fail"' };
    return { ok: true, result: digest };
  };

  it('run: forwards any request as is and returns the host response unchanged', async () => {
    const host = fakeHost(respond);
    const plugin = await load('crypto-probe', { custodian_crypto: host.fn });
    for (const request of [...requests, { op: 'fail' }]) {
      const output = await call(plugin, 'run', { request });
      expect(output).toEqual({ code: 0, data: respond(request), error: null });
    }
    expect(host.requests).toEqual([...requests, { op: 'fail' }]);
  });

  it('typed: every SDK wrapper sends exactly the request and reads the response', async () => {
    const host = fakeHost(respond);
    const plugin = await load('crypto-probe', { custodian_crypto: host.fn });
    for (const request of requests) {
      const output = await call(plugin, 'typed', { request });
      expect(output).toEqual({ code: 0, data: respond(request), error: null });
    }
    // Key order aside, the wrappers built the same requests.
    expect(host.requests).toEqual(requests);
  });

  it('typed: a refused call comes back as ok false with the host error', async () => {
    const host = fakeHost(() => ({ ok: false, error: 'crypto is not granted' }));
    const plugin = await load('crypto-probe', { custodian_crypto: host.fn });
    const output = await call(plugin, 'typed', { request: requests[0] });
    expect(output.data).toEqual({ ok: false, error: 'crypto is not granted' });
  });
});

describe('http-fetch and log-spam in real Extism (inline host functions)', () => {
  it('http-fetch sends the request as HttpRequest and decodes the response', async () => {
    const host = fakeHost((request) =>
      String(request.url).includes('forbidden')
        ? { ok: false, error: 'forbidden.test is not a granted host' }
        : { ok: true, status: 201, headers: { 'x-a': 'b' }, body: b64('héllo') },
    );
    const plugin = await load('http-fetch', { custodian_http: host.fn });
    const output = await call(plugin, 'fetch', {
      url: 'https://allowed.test/x',
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'payload',
    });
    expect(output).toEqual({
      code: 0,
      data: { status: 201, headers: { 'x-a': 'b' }, body: 'héllo' },
      error: null,
    });
    expect(host.requests[0]).toEqual({
      method: 'POST',
      url: 'https://allowed.test/x',
      headers: { 'content-type': 'text/plain' },
      body: b64('payload'),
    });
    expect(await call(plugin, 'fetch', { url: 'https://forbidden.test/', method: 'GET' })).toEqual({
      code: -1,
      data: null,
      error: 'forbidden.test is not a granted host',
    });
  });

  it('log-spam sends {level, message} lines and counts the accepted ones', async () => {
    const host = fakeHost(() =>
      host.requests.length <= 3 ? { ok: true } : { ok: false, error: 'rate limited' },
    );
    const plugin = await load('log-spam', { custodian_log: host.fn });
    const output = await call(plugin, 'spam', { count: 5, level: 'warn' }, { token: 'tok-123456' });
    expect(output.data).toEqual({ count: 5, accepted: 3 });
    expect(host.requests[4]).toEqual({ level: 'warn', message: 'line 4: token=tok-123456' });
  });
});

describe('vultrino-echo in plain WebAssembly (inline WASI stub)', () => {
  const ENOTCAPABLE = 76;

  async function instantiate() {
    // The WASI stub writes into the instance's memory, which exists only once instantiated.
    const held: { memory?: WebAssembly.Memory } = {};
    const bytes = (ptr: number, length: number) =>
      new Uint8Array((held.memory as WebAssembly.Memory).buffer, ptr, length);
    const denied = () => ENOTCAPABLE;
    const wasi = {
      random_get: (ptr: number, length: number) => {
        bytes(ptr, length).fill(7);
        return 0;
      },
      clock_time_get: (_id: number, _precision: bigint, ptr: number) => {
        new DataView(bytes(ptr, 8).buffer, ptr, 8).setBigUint64(
          0,
          1_700_000_000_000_000_000n,
          true,
        );
        return 0;
      },
      environ_sizes_get: denied,
      environ_get: denied,
      fd_write: denied,
      path_open: denied,
    };
    const module = new WebAssembly.Module(wasmOf('vultrino-echo'));
    const instance = await WebAssembly.instantiate(module, { [WASI]: wasi });
    held.memory = instance.exports.memory as WebAssembly.Memory;
    const fn = (name: string) => instance.exports[name] as (...args: number[]) => number | bigint;
    const write = (text: string) => {
      const data = Buffer.from(text);
      const ptr = Number(fn('vultrino_alloc')(data.length));
      bytes(ptr, data.length).set(data);
      return [ptr, data.length] as const;
    };
    const execute = (request: unknown) => {
      const [ptr, length] = write(JSON.stringify(request));
      const packed = fn('vultrino_execute')(ptr, length) as bigint;
      fn('vultrino_free')(ptr, length);
      const outPtr = Number(packed >> 32n);
      const outLength = Number(packed & 0xffffffffn);
      const text = Buffer.from(bytes(outPtr, outLength)).toString();
      fn('vultrino_free')(outPtr, outLength);
      return JSON.parse(text) as Output;
    };
    const validate = (action: string, params: string) => {
      const [a, aLength] = write(action);
      const [p, pLength] = write(params);
      return fn('vultrino_validate_params')(a, aLength, p, pLength);
    };
    return { version: fn('vultrino_plugin_version')(), execute, validate };
  }

  it('speaks the Vultrino ABI and reports each WASI errno', async () => {
    const plugin = await instantiate();
    expect(plugin.version).toBe(1);
    const credential = { token: 'tok-SECRET', note: 'x' };
    expect(plugin.execute({ action: 'echo', credential, parameters: { message: 'hé' } })).toEqual({
      code: 0,
      data: { action: 'echo', parameters: { message: 'hé' }, credential_fields: ['note', 'token'] },
      error: null,
    });
    const run = (action: string) => plugin.execute({ action, credential: {}, parameters: {} });
    expect(run('random').data).toEqual({ errno: 0, length: 32, nonzero: true });
    expect(run('clock').data).toEqual({ errno: 0, time_ns: 1.7e18 });
    expect(run('environ').data).toEqual({ sizes_errno: ENOTCAPABLE, count: 0, errno: ENOTCAPABLE });
    expect(run('fd_write').data).toEqual({ errno: ENOTCAPABLE, written: 0 });
    expect(run('path_open').data).toEqual({ errno: ENOTCAPABLE, fd: 0 });
    expect(run('fail')).toMatchObject({ code: -1 });
    expect(run('nope')).toMatchObject({ code: -2 });
    expect(plugin.validate('echo', '{}')).toBe(0);
    expect(plugin.validate('echo', '{"reject":true}')).toBe(-3);
    expect(plugin.validate('echo', '[]')).toBe(-3);
    expect(plugin.validate('nope', '{}')).toBe(-2);
  });
});
