import { join } from 'node:path';

// Where the bundled catalog lives: `npm run store:build` writes out/store in
// development; a packaged app carries it in resources/store.

export function bundledStoreDir(input: {
  isPackaged: boolean;
  resourcesPath: string;
  /** Where the built main process is (out/main) in development. */
  mainDir: string;
}): string {
  return input.isPackaged ? join(input.resourcesPath, 'store') : join(input.mainDir, '..', 'store');
}
