#!/usr/bin/env node
// `npm run plugins:build [-- [--force] name-or-folder ...]`: compiles every
// plugin from its AssemblyScript source (plugins/template, plugins/<name>/
// with a plugin.toml, plugins/fixtures/<name>/) into <folder>/build/, next to
// a copy of its plugin.toml (and of its README.md and icon, when it has
// them), so each build folder is a complete installable plugin.
//
// - Each manifest is validated with the app's own schema (shared/manifest.ts)
//   first, so a mistake shows here rather than at install.
// - Compiles run in up to two worker threads, each loading the compiler once.
// - asc's output is deterministic, so a plugin whose inputs (every file the
//   compiler read, the manifest, the compiler version and flags) are unchanged
//   since its last build is skipped; --force rebuilds anyway.
// - Exits non-zero if any plugin fails, naming it and the reason.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The SDK's abort handler, compiled into every module (asc imports `env.abort` otherwise). */
const ABORT_FILE = 'plugins/sdk/assembly/abort.ts';
const ASC_FLAGS = ['--use', 'abort=plugins/sdk/assembly/abort/custodianAbort', '--optimize'];
const MAX_WORKERS = 2;
const CACHE_FILE = join(root, 'node_modules', '.cache', 'custodian', 'plugins-build.json');
/** Files a plugin folder may hold beside its manifest that its archive carries (shared/plugin-archive.ts). */
const EXTRA_FILES = ['README.md', 'icon.png', 'icon.svg'];

/** Paths as asc and the cache name them: relative to the repository, forward slashes. */
const posix = (path) => relative(root, path).split(sep).join('/');
const sha256 = (data) => createHash('sha256').update(data).digest('hex');

if (isMainThread) await main();
else await serveCompiles();

// ── worker thread: compile jobs as they come ──────────────────────────────
async function serveCompiles() {
  const { default: asc } = await import('assemblyscript/asc');
  parentPort.on('message', async ({ id, entry }) => {
    const stderr = asc.createMemoryStream();
    const files = {};
    let wasm = null;
    const { error } = await asc.main(
      [
        entry,
        ABORT_FILE,
        '--outFile',
        'plugin.wasm',
        ...ASC_FLAGS,
        '--baseDir',
        root,
        '--noColors',
      ],
      {
        stdout: asc.createMemoryStream(),
        stderr,
        // Record what the compiler read, to know later whether a rebuild is needed.
        readFile: (name, baseDir) => {
          const path = resolve(baseDir, name);
          try {
            const text = readFileSync(path, 'utf8');
            files[posix(path)] = sha256(text);
            return text;
          } catch {
            return null; // asc probes several candidate paths per import
          }
        },
        // Keep the module in memory: the main thread writes it where it belongs.
        writeFile: (_name, contents) => {
          wasm = contents;
        },
      },
    );
    const ok = !error && wasm;
    parentPort.postMessage({
      id,
      wasm: ok ? wasm : null,
      files,
      message: ok ? '' : stderr.toString().trim() || String(error ?? 'no output'),
    });
  });
}

// ── main thread ───────────────────────────────────────────────────────────
async function main() {
  const started = performance.now();
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const wanted = args.filter((a) => a !== '--force').map((a) => a.replace(/\/+$/, ''));
  let folders = findPlugins();
  if (wanted.length > 0) {
    folders = folders.filter((f) => wanted.some((w) => basename(f) === w || posix(f) === w));
    if (folders.length === 0) {
      console.error(`plugins:build: no plugin matches ${wanted.join(', ')}`);
      process.exit(1);
    }
  }

  // shared/manifest.ts is TypeScript: load it through tsx.
  const { tsImport } = await import('tsx/esm/api');
  const { pluginManifestSchema } = await tsImport('../../shared/manifest.ts', import.meta.url);
  const { parse: parseToml } = await import('smol-toml');

  const options = JSON.stringify({ asc: ascVersion(), flags: ASC_FLAGS, abort: ABORT_FILE });
  const cache = readCache();
  const failed = [];
  const jobs = [];
  let upToDate = 0;
  for (const folder of folders) {
    try {
      const manifest = readManifest(folder, pluginManifestSchema, parseToml);
      const job = { folder, manifest, entry: posix(join(folder, 'assembly', 'index.ts')) };
      if (!force && isUpToDate(job, cache.get(posix(folder)), options)) upToDate++;
      else jobs.push(job);
    } catch (error) {
      failed.push({ folder, message: error.message });
    }
  }

  const results = await compileAll(jobs);
  jobs.forEach((job, index) => {
    const { wasm, files, message, seconds } = results[index];
    if (!wasm) {
      failed.push({ folder: job.folder, message });
      cache.delete(posix(job.folder));
      return;
    }
    const out = join(job.folder, 'build');
    const wasmName = job.manifest.plugin.wasm_module;
    const manifestText = readFileSync(join(job.folder, 'plugin.toml'));
    mkdirSync(out, { recursive: true });
    writeAtomically(join(out, wasmName), wasm);
    writeAtomically(join(out, 'plugin.toml'), manifestText);
    // Its README and icon too, so the store's archive carries them.
    const extras = extraFiles(job.folder);
    for (const name of extras) {
      const text = readFileSync(join(job.folder, name));
      writeAtomically(join(out, name), text);
      files[posix(join(job.folder, name))] = sha256(text);
    }
    // Nothing else belongs in an installable folder (a renamed module, say).
    for (const name of readdirSync(out)) {
      const kept = name === wasmName || name === 'plugin.toml' || extras.includes(name);
      if (!kept && !name.includes('.tmp-'))
        rmSync(join(out, name), { recursive: true, force: true });
    }
    files[posix(join(job.folder, 'plugin.toml'))] = sha256(manifestText);
    cache.set(posix(job.folder), { options, files, wasm: sha256(wasm) });
    const size = (wasm.byteLength / 1024).toFixed(1);
    console.log(
      `  built ${posix(out)}/${job.manifest.plugin.wasm_module} (${size} KiB, ${seconds} s)`,
    );
  });
  writeCache(cache);

  for (const { folder, message } of failed) {
    console.error(`\n  FAILED ${basename(folder)} (${posix(folder)}):\n${indent(message)}\n`);
  }
  const built = jobs.length - failed.filter((f) => jobs.some((j) => j.folder === f.folder)).length;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const summary = `plugins:build: ${built} built, ${upToDate} up to date, ${failed.length} failed in ${seconds} s`;
  if (failed.length > 0) {
    console.error(summary);
    process.exit(1);
  }
  console.log(summary);
}

function findPlugins() {
  const folders = [];
  const scan = (dir, skip) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || skip.includes(entry.name)) continue;
      if (existsSync(join(dir, entry.name, 'plugin.toml'))) folders.push(join(dir, entry.name));
    }
  };
  scan(join(root, 'plugins'), ['sdk', 'fixtures']);
  scan(join(root, 'plugins', 'fixtures'), []);
  return folders.sort();
}

/** Reads and validates a plugin's manifest; throws an Error naming the file and the problem. */
function readManifest(folder, schema, parseToml) {
  const file = join(folder, 'plugin.toml');
  let raw;
  try {
    raw = parseToml(readFileSync(file, 'utf8'));
  } catch (error) {
    const where = error.line ? `:${error.line}:${error.column}` : '';
    throw new Error(`${posix(file)}${where}: ${error.message.split('\n')[0]}`, { cause: error });
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path?.join('.') || '(top level)';
    throw new Error(`${posix(file)}: ${path}: ${issue?.message ?? 'is invalid'}`);
  }
  const manifest = result.data;
  if (manifest.plugin.name !== basename(folder))
    throw new Error(
      `${posix(file)}: plugin.name "${manifest.plugin.name}" must match the folder name "${basename(folder)}"`,
    );
  if (!existsSync(join(folder, 'assembly', 'index.ts')))
    throw new Error(`${posix(folder)}: there is no assembly/index.ts to compile`);
  return manifest;
}

/** The README and icons a plugin folder holds. */
function extraFiles(folder) {
  return EXTRA_FILES.filter((name) => existsSync(join(folder, name)));
}

function isUpToDate(job, entry, options) {
  if (!entry || entry.options !== options) return false;
  // An extra file added, removed or changed since: copy again.
  for (const name of EXTRA_FILES) {
    const source = join(job.folder, name);
    const copy = join(job.folder, 'build', name);
    if (existsSync(source) !== existsSync(copy)) return false;
    if (existsSync(source) && !readFileSync(source).equals(readFileSync(copy))) return false;
  }
  const wasm = join(job.folder, 'build', job.manifest.plugin.wasm_module);
  const copied = join(job.folder, 'build', 'plugin.toml');
  if (!existsSync(wasm) || sha256(readFileSync(wasm)) !== entry.wasm) return false;
  if (
    !existsSync(copied) ||
    !readFileSync(copied).equals(readFileSync(join(job.folder, 'plugin.toml')))
  )
    return false;
  return Object.entries(entry.files).every(([file, hash]) => {
    const path = join(root, file);
    return existsSync(path) && sha256(readFileSync(path, 'utf8')) === hash;
  });
}

function ascVersion() {
  const require = createRequire(join(root, 'package.json'));
  return JSON.parse(readFileSync(require.resolve('assemblyscript/package.json'), 'utf8')).version;
}

/**
 * Temp file and rename: a test reading the folder while another process
 * rebuilds it sees the old file or the new one, never half of one.
 */
function writeAtomically(path, data) {
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, data);
  renameSync(temp, path);
}

/** Plugin folder -> {options, files: {path: sha256}, wasm: sha256} of its last build. */
function readCache() {
  try {
    return new Map(Object.entries(JSON.parse(readFileSync(CACHE_FILE, 'utf8'))));
  } catch {
    return new Map();
  }
}

function writeCache(cache) {
  const kept = [...cache].filter(([folder]) => existsSync(join(root, folder, 'plugin.toml')));
  const sorted = Object.fromEntries(kept.sort(([a], [b]) => a.localeCompare(b)));
  mkdirSync(dirname(CACHE_FILE), { recursive: true });
  writeAtomically(CACHE_FILE, `${JSON.stringify(sorted, null, 2)}\n`);
}

function indent(text) {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

/** Compiles `jobs` in up to MAX_WORKERS threads; results in the order of `jobs`. */
async function compileAll(jobs) {
  const results = new Array(jobs.length);
  let next = 0;
  const workers = Math.min(MAX_WORKERS, availableParallelism(), jobs.length);
  const runWorker = () =>
    new Promise((resolvePromise, reject) => {
      const worker = new Worker(new URL(import.meta.url));
      let sentAt = 0;
      const send = () => {
        if (next >= jobs.length) {
          worker.terminate().then(() => resolvePromise(), reject);
          return;
        }
        const id = next++;
        sentAt = performance.now();
        worker.postMessage({ id, entry: jobs[id].entry });
      };
      worker.on('message', ({ id, wasm, files, message }) => {
        const seconds = ((performance.now() - sentAt) / 1000).toFixed(1);
        results[id] = { wasm: wasm ? new Uint8Array(wasm) : null, files, message, seconds };
        send();
      });
      worker.on('error', reject);
      worker.once('online', send);
    });
  await Promise.all(Array.from({ length: workers }, runWorker));
  return results;
}
