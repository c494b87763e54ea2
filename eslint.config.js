import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// The layering of DESIGN.md, enforced. Each folder lists what it must never
// import; later blocks for the same files replace earlier ones, so each block
// states its folder's whole rule.

const ours = (...folders) => folders.map((f) => `**/${f}/**`);
const noNode = (message) => ({
  patterns: [{ group: ['node:*'], message }],
  paths: builtinModules.map((name) => ({ name, message })),
});
const electronBanned = {
  name: 'electron',
  message: 'Only electron/main and electron/preload import electron.',
};
// Naming `default` also catches `import electron from 'electron'` and `import * as`.
const rawIpcBanned = (names, where) => ({
  name: 'electron',
  importNames: [...names, 'default'],
  message: `Raw IPC lives only in ${where}; import named Electron APIs.`,
});
const noDynamicElectron = [
  'error',
  { selector: "ImportExpression[source.value='electron']", message: electronBanned.message },
  {
    selector: "CallExpression[callee.name='require'][arguments.0.value='electron']",
    message: electronBanned.message,
  },
];

const SHARED = 'shared/ imports nothing of ours, no Node and no electron.';
const MAIN = 'main composes core; it does not reach into other roots.';
const PRELOAD = 'The preload stays thin: the shared contract and electron only.';
const RENDERER = 'The renderer imports shared/ and its own files only: no Node, no electron.';
const combine = (...parts) =>
  parts.reduce((all, part) => ({
    ...all,
    ...part,
    patterns: [...(all.patterns ?? []), ...(part.patterns ?? [])],
    paths: [...(all.paths ?? []), ...(part.paths ?? [])],
  }));

const layer = (files, { patterns = [], paths = [], ignores, electron = true }) => ({
  files,
  ...(ignores ? { ignores } : {}),
  rules: {
    'no-restricted-imports': ['error', { patterns, paths }],
    ...(electron ? {} : { 'no-restricted-syntax': noDynamicElectron }),
  },
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      'test/e2e/screenshots/',
      'plugins/**/build/',
      // AssemblyScript: TypeScript syntax, but no `import type` and @external
      // decorators ESLint's parser rejects; asc checks these files.
      'plugins/**/assembly/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  layer(
    ['shared/**'],
    combine(
      {
        patterns: [{ group: ours('electron', 'renderer'), message: SHARED }],
        paths: [{ name: 'electron', message: SHARED }],
      },
      noNode(SHARED),
      { electron: false },
    ),
  ),
  layer(['electron/core/**'], {
    patterns: [
      {
        group: ours('main', 'preload', 'headless', 'renderer', 'bridge', 'plugin-host'),
        message: 'core depends on shared and Node only.',
      },
    ],
    paths: [electronBanned],
    electron: false,
  }),
  layer(['electron/headless/**', 'electron/bridge/**', 'electron/plugin-host/**'], {
    patterns: [
      {
        group: ours('main', 'preload', 'renderer'),
        message: 'A Node composition root must not use main, preload or renderer code.',
      },
    ],
    paths: [electronBanned],
    electron: false,
  }),
  layer(['electron/main/**'], {
    patterns: [{ group: ours('preload', 'renderer', 'headless'), message: MAIN }],
    paths: [rawIpcBanned(['ipcMain', 'ipcRenderer'], 'electron/main/ipc/router.ts')],
    ignores: ['electron/main/ipc/router.ts'],
  }),
  layer(['electron/main/ipc/router.ts'], {
    patterns: [{ group: ours('preload', 'renderer', 'headless'), message: MAIN }],
  }),
  layer(
    ['electron/preload/**'],
    combine(
      {
        patterns: [{ group: ours('core', 'main', 'headless', 'renderer'), message: PRELOAD }],
        paths: [rawIpcBanned(['ipcRenderer', 'ipcMain'], 'electron/preload/index.ts')],
      },
      noNode(PRELOAD),
      { ignores: ['electron/preload/index.ts'] },
    ),
  ),
  layer(
    ['electron/preload/index.ts'],
    combine(
      { patterns: [{ group: ours('core', 'main', 'headless', 'renderer'), message: PRELOAD }] },
      noNode(PRELOAD),
    ),
  ),
  layer(
    ['renderer/**'],
    combine(
      {
        patterns: [{ group: ours('electron'), message: RENDERER }],
        paths: [electronBanned],
      },
      noNode(RENDERER),
      { electron: false },
    ),
  ),
);
