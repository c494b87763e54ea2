import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Electron cannot run here, so every decision lives in modules that import
// 'electron' for types only; the few files that call Electron stay thin and
// are never imported by a test (importing 'electron' on Node tries to fetch
// its binary). This keeps both halves of that rule from eroding.

const repo = fileURLToPath(new URL('../../../', import.meta.url));

const ELECTRON_CALLERS = new Set([
  'electron/main/index.ts',
  'electron/main/ipc/router.ts',
  'electron/main/protocol/app-protocol.ts',
  'electron/main/window/create-window.ts',
  'electron/main/plugins/utility-host-launcher.ts',
  'electron/main/tray/tray.ts',
  'electron/main/store/pick-archive.ts',
  'electron/main/app/pick-bundle-target.ts',
  'electron/preload/index.ts',
]);

async function tsFiles(dir: string): Promise<string[]> {
  const entries = await readdir(join(repo, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(repo, join(e.parentPath, e.name)).split('\\').join('/'));
}

/** Import or export statements that load 'electron' at run time (not `import type`). */
function runtimeElectronImports(source: string): string[] {
  const statements =
    source.match(
      /^\s*(?:import|export)\b[^;]*?from\s*['"]electron['"]|^\s*import\s*['"]electron['"]|require\(\s*['"]electron['"]\s*\)|import\(\s*['"]electron['"]\s*\)/gm,
    ) ?? [];
  return statements.filter((s) => !/^\s*(?:import|export)\s+type\b/.test(s));
}

describe('where electron is imported', () => {
  it('only the thin Electron-calling files import it at run time', async () => {
    const offenders: string[] = [];
    for (const file of [
      ...(await tsFiles('electron/main')),
      ...(await tsFiles('electron/preload')),
    ]) {
      const imports = runtimeElectronImports(await readFile(join(repo, file), 'utf8'));
      if (imports.length && !ELECTRON_CALLERS.has(file)) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });

  it('the detector sees a runtime import and ignores a type import', () => {
    expect(runtimeElectronImports("import { app } from 'electron';")).toHaveLength(1);
    expect(runtimeElectronImports("import {\n  app,\n  session,\n} from 'electron';")).toHaveLength(
      1,
    );
    expect(runtimeElectronImports("import type { App } from 'electron';")).toHaveLength(0);
  });

  it('no main or preload test imports one of those files', async () => {
    const offenders: string[] = [];
    for (const file of [
      ...(await tsFiles('test/unit/main')),
      ...(await tsFiles('test/unit/preload')),
    ]) {
      const source = await readFile(join(repo, file), 'utf8');
      for (const caller of ELECTRON_CALLERS) {
        const module = caller.replace(/\.ts$/, '');
        if (source.includes(`'../../../${module}'`)) offenders.push(`${file} -> ${caller}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
