import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// The layering of DESIGN.md is enforced by eslint.config.js; these cases prove
// the rules fire (and do not fire on clean code), through ESLint's own API.
// Snippets are linted at virtual paths inside each room; the imports they name
// are real files, because the walls judge the file an import resolves to.

const repo = fileURLToPath(new URL('../../../', import.meta.url));
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: repo });
});

/** The rules that refuse an import: by name, and by the file it resolves to. */
const WALL_RULES = new Set(['no-restricted-imports', 'import-x/no-restricted-paths']);

async function lint(code: string, filePath: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath });
  if (!result) throw new Error(`ESLint returned nothing for ${filePath}`);
  return result.messages;
}

async function restrictedImports(code: string, filePath: string) {
  const messages = await lint(code, filePath);
  return {
    restricted: messages.filter((m) => WALL_RULES.has(m.ruleId ?? '') && m.severity === 2),
    errors: messages.filter((m) => m.severity === 2),
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

// Each room's wall, judged on the resolved file. `refused` lists spellings of
// forbidden files, including those folder-name patterns let through ('../main',
// a path through '..' that lands in another room); `allowed`, what the room needs.
const rooms: { file: string; refused: string[]; allowed: string[] }[] = [
  {
    file: 'shared/x.ts',
    refused: [
      '../electron/core/events',
      '../electron/main',
      '../renderer/main',
      './../electron/core/files/atomic-file',
      '../test/support/core-fixture',
    ],
    allowed: ['./manifest', './ipc/channels', 'zod'],
  },
  {
    file: 'electron/core/x.ts',
    refused: [
      '../main',
      '../main/index',
      '../../electron/main',
      './files/../../main',
      '../headless/headless-core',
      '../preload',
      '../bridge/run',
      '../plugin-host/host',
      '../../renderer/main',
      '../../test/support/core-fixture',
    ],
    allowed: ['../../shared/manifest', './events', './files/atomic-file', 'node:fs', 'zod'],
  },
  {
    file: 'electron/core/vault/x.ts',
    refused: ['../../main', '../../../electron/main/index', '../../preload/index'],
    allowed: ['./vault', '../files/atomic-file', '../../../shared/manifest'],
  },
  {
    file: 'electron/core/files/x.ts',
    // No exception any more: staging throws the one CustodianError, so the
    // archive's own refusals are as far away as the rest of the store.
    refused: [
      '../vault/vault',
      '../store/plugin-store',
      '../plugins/plugin-registry',
      '../events',
      '../store/archive/errors',
    ],
    allowed: ['./atomic-file', '../../../shared/errors', '../../../shared/manifest', 'node:fs'],
  },
  {
    file: 'electron/plugin-host/x.ts',
    refused: [
      '../core/vault/vault',
      '../core/create-core',
      '../headless/headless-core',
      '../main',
      '../core/net/address-rules',
      '../core/plugins/plugin-registry',
      '../core/net/../vault/vault',
    ],
    allowed: [
      '../core/net/checked-fetch',
      '../core/credentials/secret-scan',
      '../../shared/plugin-abi',
      './host',
      'node:worker_threads',
    ],
  },
  {
    file: 'electron/plugin-host/host-functions/x.ts',
    refused: ['../../core/vault/vault', '../../core/create-core', '../../../electron/main'],
    allowed: ['../../core/net/checked-fetch', './scrub'],
  },
  {
    file: 'electron/bridge/x.ts',
    refused: [
      '../core/create-core',
      '../core/vault/vault',
      '../core/bridge/socket-server',
      '../core/credentials/secret-scan',
      '../core/bridge/../create-core',
      '../main',
      '../headless/headless-core',
    ],
    allowed: [
      '../core/bridge',
      '../core/bridge/socket-client',
      '../../shared/bridge-protocol',
      './run',
      '@modelcontextprotocol/sdk/server/stdio.js',
    ],
  },
  {
    file: 'electron/headless/x.ts',
    refused: ['../main', '../preload', '../../renderer/main', '../plugin-host/host'],
    allowed: ['../core/create-core', '../bridge/run', '../../shared/manifest'],
  },
  {
    file: 'electron/main/x.ts',
    refused: [
      '../headless/headless-core',
      '../preload',
      '../../renderer/main',
      '../bridge/run',
      '../plugin-host/host',
    ],
    allowed: ['../core/create-core', '../../shared/manifest', './ipc/route-call'],
  },
  {
    file: 'electron/preload/x.ts',
    refused: ['../core/events', '../main', '../../renderer/main', '../headless/headless-core'],
    allowed: ['../../shared/ipc/channels', './event-subscription'],
  },
  {
    file: 'renderer/x.tsx',
    refused: [
      '../electron/core/events',
      '../electron/preload',
      '../electron/main',
      '../electron/preload/event-subscription',
    ],
    allowed: ['../shared/manifest', './main', 'react'],
  },
  {
    file: 'renderer/features/x.tsx',
    refused: ['../../electron/core/events', '../../shared/../electron/main'],
    allowed: ['../../shared/manifest', '../api/client'],
  },
];

describe('walls judged on the resolved file', () => {
  for (const { file, refused, allowed } of rooms) {
    it.each(refused)(`${file} may not import %s`, async (specifier) => {
      const messages = await lint(`import '${specifier}';\n`, file);
      // Refused by the wall, not merely unresolved: a typo here must not pass as a refusal.
      expect(messages.map((m) => m.ruleId)).toEqual(['import-x/no-restricted-paths']);
    });

    it.each(allowed)(`${file} may import %s`, async (specifier) => {
      expect(await lint(`import '${specifier}';\n`, file)).toEqual([]);
    });
  }

  it.each([
    "import type { CoreEvents } from '../main';\nexport type E = CoreEvents;\n",
    "export * from '../main';\n",
    "export { x } from '../main/index';\n",
    "export const m = await import('../main');\n",
    "export const m = require('../main');\n",
  ])('core refuses main however it is imported: %j', async (code) => {
    const messages = await lint(code, 'electron/core/x.ts');
    expect(messages.map((m) => m.ruleId)).toContain('import-x/no-restricted-paths');
  });

  it('an import the lint cannot resolve is refused, so no spelling hides from a wall', async () => {
    const messages = await lint("import '../mian';\n", 'electron/core/x.ts');
    expect(messages.map((m) => m.ruleId)).toEqual(['import-x/no-unresolved']);
  });
});

describe("Electron's other module names", () => {
  const refused: [string, string, string][] = [
    [
      'electron/core/x.ts',
      "import { app } from 'electron/main';\nexport const a = app;\n",
      'no-restricted-imports',
    ],
    [
      'electron/core/x.ts',
      "import fs from 'original-fs';\nexport const a = fs;\n",
      'no-restricted-imports',
    ],
    [
      'electron/core/x.ts',
      "export const e = await import('electron/main');\n",
      'no-restricted-syntax',
    ],
    [
      'shared/x.ts',
      "import { clipboard } from 'electron/common';\nexport const a = clipboard;\n",
      'no-restricted-imports',
    ],
    [
      'renderer/x.tsx',
      "import { ipcRenderer } from 'electron/renderer';\nexport const a = ipcRenderer;\n",
      'no-restricted-imports',
    ],
    [
      'electron/main/x.ts',
      "import { ipcMain } from 'electron/main';\nexport const a = ipcMain;\n",
      'no-restricted-imports',
    ],
    [
      'electron/preload/x.ts',
      "import { ipcRenderer } from 'electron/renderer';\nexport const a = ipcRenderer;\n",
      'no-restricted-imports',
    ],
  ];

  it.each(refused)('%s refuses %j', async (file, code, rule) => {
    const messages = await lint(code, file);
    expect(messages.map((m) => m.ruleId)).toContain(rule);
  });

  it('main may import named APIs from electron/main', async () => {
    expect(
      await lint(
        "import { app } from 'electron/main';\nexport const a = app;\n",
        'electron/main/x.ts',
      ),
    ).toEqual([]);
  });
});
