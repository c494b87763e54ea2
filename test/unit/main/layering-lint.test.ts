import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// The layering of DESIGN.md is enforced by eslint.config.js; these cases prove
// the rules fire (and do not fire on clean code), through ESLint's own API.

const repo = fileURLToPath(new URL('../../../', import.meta.url));
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: repo });
});

async function restrictedImports(code: string, filePath: string) {
  const [result] = await eslint.lintText(code, { filePath });
  if (!result) throw new Error(`ESLint returned nothing for ${filePath}`);
  return {
    restricted: result.messages.filter(
      (m) => m.ruleId === 'no-restricted-imports' && m.severity === 2,
    ),
    errors: result.messages.filter((m) => m.severity === 2),
  };
}

describe('layering lint rules', () => {
  const forbidden: [string, string, RegExp][] = [
    [
      'electron/core/x.ts',
      "import { app } from 'electron';\nexport const a = app;\n",
      /Only electron\/main/,
    ],
    [
      'electron/headless/x.ts',
      "import { app } from 'electron';\nexport const a = app;\n",
      /Only electron\/main/,
    ],
    [
      'electron/main/x.ts',
      "import { ipcMain } from 'electron';\nexport const a = ipcMain;\n",
      /router\.ts/,
    ],
    [
      'electron/main/window/x.ts',
      "import { ipcMain } from 'electron';\nexport const a = ipcMain;\n",
      /router\.ts/,
    ],
    [
      'electron/main/x.ts',
      "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n",
      /router\.ts/,
    ],
    [
      'renderer/x.tsx',
      "import fs from 'node:fs';\nexport const a = fs;\n",
      /renderer imports shared/,
    ],
    [
      'renderer/x.tsx',
      "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n",
      /Only electron\/main/,
    ],
    [
      'electron/preload/x.ts',
      "import fs from 'node:fs';\nexport const a = fs;\n",
      /preload stays thin/,
    ],
    [
      'electron/preload/x.ts',
      "import { Vault } from '../core/vault/vault';\nexport const a = Vault;\n",
      /preload stays thin/,
    ],
    ['shared/x.ts', "import '../electron/core/vault/vault';\n", /shared\/ imports nothing/],
    [
      'shared/x.ts',
      "import { readFile } from 'node:fs/promises';\nexport const a = readFile;\n",
      /shared\/ imports nothing/,
    ],
    [
      'electron/main/x.ts',
      "import { x } from '../headless/headless-core';\nexport const a = x;\n",
      /main composes core/,
    ],
    ['renderer/x.tsx', "import fs from 'fs';\nexport const a = fs;\n", /renderer imports shared/],
    [
      'shared/x.ts',
      "import path from 'path';\nexport const a = path;\n",
      /shared\/ imports nothing/,
    ],
    ['electron/preload/x.ts', "import os from 'os';\nexport const a = os;\n", /preload stays thin/],
    [
      'electron/preload/x.ts',
      "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n",
      /preload\/index\.ts/,
    ],
    [
      'electron/main/x.ts',
      "import electron from 'electron';\nexport const a = electron.ipcMain;\n",
      /router\.ts/,
    ],
    [
      'electron/main/x.ts',
      "import * as electron from 'electron';\nexport const a = electron.ipcMain;\n",
      /router\.ts/,
    ],
  ];

  for (const [filePath, code, message] of forbidden) {
    it(`refuses ${JSON.stringify(code.split('\n')[0])} in ${filePath}`, async () => {
      const { restricted } = await restrictedImports(code, filePath);
      expect(restricted.length).toBeGreaterThan(0);
      expect(restricted.map((m) => m.message).join('\n')).toMatch(message);
    });
  }

  it.each(['electron/core/x.ts', 'renderer/x.tsx', 'shared/x.ts', 'electron/headless/x.ts'])(
    'refuses a dynamic import or require of electron in %s',
    async (filePath) => {
      for (const code of [
        "export const e = await import('electron');\n",
        "export const e = require('electron');\n",
      ]) {
        const [result] = await eslint.lintText(code, { filePath });
        const syntax = result?.messages.filter((m) => m.ruleId === 'no-restricted-syntax') ?? [];
        expect(syntax.map((m) => m.message).join('\n'), code).toMatch(/Only electron\/main/);
      }
    },
  );

  const allowed: [string, string][] = [
    [
      'electron/main/ipc/router.ts',
      "import { ipcMain } from 'electron';\nexport const a = ipcMain;\n",
    ],
    ['electron/main/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    [
      'electron/main/x.ts',
      "import { createCore } from '../core/create-core';\nexport const a = createCore;\n",
    ],
    [
      'electron/preload/index.ts',
      "import { contextBridge, ipcRenderer } from 'electron';\nexport const a = [contextBridge, ipcRenderer];\n",
    ],
    [
      'electron/preload/x.ts',
      "import { CHANNELS } from '../../shared/ipc/channels';\nexport const a = CHANNELS;\n",
    ],
    [
      'electron/core/x.ts',
      "import { readFile } from 'node:fs/promises';\nimport { CHANNELS } from '../../shared/ipc/channels';\nexport const a = [readFile, CHANNELS];\n",
    ],
    [
      'renderer/x.tsx',
      "import { CHANNELS } from '../shared/ipc/channels';\nexport const a = CHANNELS;\n",
    ],
    ['shared/x.ts', "import { z } from 'zod';\nexport const a = z;\n"],
  ];

  for (const [filePath, code] of allowed) {
    it(`accepts ${JSON.stringify(code.split('\n')[0])} in ${filePath}`, async () => {
      const { errors } = await restrictedImports(code, filePath);
      expect(errors).toEqual([]);
    });
  }
});
