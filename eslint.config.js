import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';

// The layering of DESIGN.md, enforced in two ways.
//
// Walls between rooms are judged on the file an import resolves to, not on how
// it is spelled: '../main', '../main/index' and '../core/../main' all land in
// electron/main and are refused alike. Each room lists what it may import (its
// own folder, shared/, a few named modules); everything else in the repository
// is refused, packages from node_modules are not.
//
// Names that are not files (Node's built-ins, Electron's modules) are refused
// by name with no-restricted-imports. Later blocks for the same files replace
// earlier ones, so each of those blocks states its folder's whole rule.

const SHARED = 'shared/ imports nothing of ours, no Node and no electron.';
const CORE = 'core depends on shared and Node only.';
const FILES = 'core/files/ holds file-system helpers: Node and shared only.';
const PLUGIN_HOST =
  'The plugin host imports shared/ and the core modules named in eslint.config.js only.';
const BRIDGE = 'The bridge imports shared/ and the core socket client only.';
const HEADLESS = 'headless composes core and the bridge; it does not reach into other roots.';
const MAIN = 'main composes core; it does not reach into other roots.';
const PRELOAD = 'The preload stays thin: the shared contract and electron only.';
const RENDERER = 'The renderer imports shared/ and its own files only: no Node, no electron.';

/** A room may import its own folder, packages and `allowed`; nothing else in the repository. */
const room = (folder, allowed, message) => ({
  target: `./${folder}`,
  from: '.',
  except: ['./node_modules', `./${folder}`, ...allowed],
  message,
});

const walls = [
  room('shared', [], SHARED),
  room('electron/core', ['./shared'], CORE),
  room('electron/core/files', ['./shared'], FILES),
  room(
    'electron/plugin-host',
    [
      './shared',
      // The host's fetch applies the same address rules as core's.
      './electron/core/net/checked-fetch.ts',
      // A credential's allowed hosts are matched by the same rule as the fetch's grants.
      './electron/core/net/host-grants.ts',
      // Log lines are scrubbed of every spelling of a secret core would withhold.
      './electron/core/credentials/secret-scan.ts',
      // The one last-resort handler, as in the app and `custodian serve`.
      './electron/core/last-resort.ts',
    ],
    PLUGIN_HOST,
  ),
  room(
    'electron/bridge',
    [
      './shared',
      // The socket client and what a client needs to find and call the core; not the server.
      ...['index', 'socket-client', 'errors', 'frames', 'socket-path', 'token'].map(
        (name) => `./electron/core/bridge/${name}.ts`,
      ),
    ],
    BRIDGE,
  ),
  room('electron/headless', ['./shared', './electron/core', './electron/bridge'], HEADLESS),
  room('electron/main', ['./shared', './electron/core'], MAIN),
  room('electron/preload', ['./shared'], PRELOAD),
  room('renderer', ['./shared'], RENDERER),
];

// Electron's modules, including the subpaths and the fs without asar that
// Electron provides at run time (no file in node_modules stands for them).
const ELECTRON_MODULES = [
  'electron',
  'electron/main',
  'electron/common',
  'electron/renderer',
  'electron/utility',
  'original-fs',
  'node:original-fs',
];
const noElectron = (message) => ({
  paths: ELECTRON_MODULES.map((name) => ({ name, message })),
});
const noNode = (message) => ({
  patterns: [{ group: ['node:*'], message }],
  paths: builtinModules.map((name) => ({ name, message })),
});
// Naming `default` also catches `import electron from 'electron'` and `import * as`.
const rawIpcBanned = (names, where) => ({
  paths: ['electron', 'electron/main', 'electron/renderer'].map((name) => ({
    name,
    importNames: [...names, 'default'],
    message: `Raw IPC lives only in ${where}; import named Electron APIs.`,
  })),
});
const ELECTRON_SPECIFIER = '/^(electron(\\u002F.*)?|(node:)?original-fs)$/';
const noDynamicElectron = (message) => [
  'error',
  { selector: `ImportExpression[source.value=${ELECTRON_SPECIFIER}]`, message },
  {
    selector: `CallExpression[callee.name='require'][arguments.0.value=${ELECTRON_SPECIFIER}]`,
    message,
  },
];
const NO_ELECTRON = 'Only electron/main and electron/preload import electron.';

const combine = (...parts) =>
  parts.reduce((all, part) => ({
    ...all,
    ...part,
    patterns: [...(all.patterns ?? []), ...(part.patterns ?? [])],
    paths: [...(all.paths ?? []), ...(part.paths ?? [])],
  }));

const names = (files, { patterns = [], paths = [], ignores, electron = true }) => ({
  files,
  ...(ignores ? { ignores } : {}),
  rules: {
    'no-restricted-imports': ['error', { patterns, paths }],
    ...(electron ? {} : { 'no-restricted-syntax': noDynamicElectron(NO_ELECTRON) }),
  },
});

const ROOMS = ['shared/**', 'electron/**', 'renderer/**'];

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
  {
    files: ROOMS,
    plugins: { 'import-x': importX },
    settings: {
      // Resolves as tsc does here (moduleResolution "bundler", no path aliases).
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.json'],
          extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
        }),
      ],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: walls }],
      // A wall cannot judge what it cannot resolve, so nothing in a room may be unresolved.
      'import-x/no-unresolved': [
        'error',
        { ignore: ['^electron/(main|common|renderer|utility)$', '^(node:)?original-fs$'] },
      ],
    },
  },
  names(['shared/**'], combine(noElectron(SHARED), noNode(SHARED), { electron: false })),
  names(
    ['electron/core/**', 'electron/headless/**', 'electron/bridge/**', 'electron/plugin-host/**'],
    {
      ...noElectron(NO_ELECTRON),
      electron: false,
    },
  ),
  names(['electron/main/**'], {
    ...rawIpcBanned(['ipcMain', 'ipcRenderer'], 'electron/main/ipc/router.ts'),
    ignores: ['electron/main/ipc/router.ts'],
  }),
  names(
    ['electron/preload/**'],
    combine(
      rawIpcBanned(['ipcRenderer', 'ipcMain'], 'electron/preload/index.ts'),
      noNode(PRELOAD),
      {
        ignores: ['electron/preload/index.ts'],
      },
    ),
  ),
  names(['electron/preload/index.ts'], noNode(PRELOAD)),
  names(['renderer/**'], combine(noElectron(NO_ELECTRON), noNode(RENDERER), { electron: false })),
);
