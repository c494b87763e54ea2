import { stop } from 'esbuild';
import { bundleWorker } from './worker-bundle';

// The plugin worker's JavaScript. A source run (tsx, Vitest) bundles it here
// from the TypeScript in ./worker/ once, when the host starts, then stops
// esbuild's service so the host keeps no helper process. The electron-vite
// build replaces this module with the code it bundled at build time
// (electron.vite.config.ts), so the app needs neither esbuild nor the sources.

export async function workerCode(): Promise<string> {
  try {
    return (await bundleWorker()).code;
  } finally {
    await stop();
  }
}
