import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

// Bundles the plugin worker (./worker/main.ts and what it imports) into one
// ES module of plain JavaScript: a worker thread gets no TypeScript loader and,
// inside an asar archive, no promise of a module loader that reads the archive,
// so the host starts it from this text (./worker-code.ts). The one place the
// worker's build is described: electron.vite.config.ts calls it at build time,
// source runs (tsx, Vitest) when the host starts.

export const WORKER_ENTRY = fileURLToPath(new URL('./worker/main.ts', import.meta.url));

const BUILTINS = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);

/** The worker may import Node's built-ins and its own files, nothing else. */
const onlyBuiltins: Plugin = {
  name: 'plugin-worker-imports',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      BUILTINS.has(args.path)
        ? { path: args.path, external: true }
        : {
            errors: [
              {
                text: `the plugin worker may import only Node built-ins, not "${args.path}" (Extism comes from workerData.extismUrl)`,
              },
            ],
          },
    );
  },
};

export interface WorkerBundle {
  code: string;
  /** Every source file in the bundle (for a watcher). */
  inputs: string[];
}

export async function bundleWorker(): Promise<WorkerBundle> {
  const result = await build({
    entryPoints: [WORKER_ENTRY],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    metafile: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'silent',
    plugins: [onlyBuiltins],
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no plugin worker');
  // The metafile names inputs relative to the working directory.
  return { code: output.text, inputs: Object.keys(result.metafile.inputs).map((i) => resolve(i)) };
}
