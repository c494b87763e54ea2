import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Three bundles, one per process. The preload must be CommonJS because a
// sandboxed renderer cannot load an ES module preload.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The plugin host is its own entry (out/main/plugin-host.js), started as a
      // utilityProcess; its worker code is inlined, and @extism/extism stays external.
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
