import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { bundleWorker } from './electron/plugin-host/worker-bundle';

// The plugin worker is its own build (electron/plugin-host/worker-bundle.ts):
// its bundled JavaScript replaces electron/plugin-host/worker-code.ts, the
// module that bundles it at run time in source runs, so the plugin host's
// bundle carries the worker as text and never imports esbuild.
function pluginWorkerCode(): Plugin {
  const target = resolve('electron/plugin-host/worker-code.ts');
  return {
    name: 'custodian:plugin-worker-code',
    async load(id) {
      if (resolve(id.split('?')[0] ?? id) !== target) return null;
      const { code, inputs } = await bundleWorker();
      for (const input of inputs) this.addWatchFile(input);
      return `export const workerCode = () => Promise.resolve(${JSON.stringify(code)});\n`;
    },
  };
}

// Three bundles, one per process. The preload must be CommonJS because a
// sandboxed renderer cannot load an ES module preload.
export default defineConfig({
  main: {
    plugins: [pluginWorkerCode()],
    build: {
      outDir: 'out/main',
      // The plugin host is its own entry (out/main/plugin-host.js), started as a
      // utilityProcess; the plugin worker's bundle is inlined as text
      // (pluginWorkerCode), and @extism/extism stays external.
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          'plugin-host': resolve('electron/plugin-host/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: {
      outDir: resolve('out/renderer'),
      minify: true,
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
