import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// The layering of DESIGN.md, enforced: each folder lists what it must never import.
const layer = (files, patterns, paths = []) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns, paths }] },
});
const noElectron = {
  name: 'electron',
  message: 'Only electron/main and electron/preload import electron.',
};
const ipcOnlyInRouter = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Raw IPC lives only in electron/main/ipc/router.ts and electron/preload/index.ts.',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'test/e2e/screenshots/', 'plugins/**/build/'] },
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
    [
      {
        group: ['**/electron/**', '**/renderer/**', 'node:*'],
        message: 'shared/ imports nothing of ours and no Node.',
      },
    ],
    [noElectron],
  ),
  layer(
    ['electron/core/**'],
    [
      {
        group: ['**/main/**', '**/preload/**', '**/headless/**', '**/renderer/**'],
        message: 'core depends on shared and Node only.',
      },
    ],
    [noElectron],
  ),
  layer(
    ['electron/headless/**', 'electron/bridge/**', 'electron/plugin-host/**'],
    [
      {
        group: ['**/main/**', '**/preload/**', '**/renderer/**'],
        message: 'A composition root other than main must not use main, preload or renderer code.',
      },
    ],
    [noElectron],
  ),
  layer(
    ['electron/main/**'],
    [
      {
        group: ['**/preload/**', '**/renderer/**', '**/headless/**'],
        message: 'main composes core; it does not reach into other roots.',
      },
    ],
  ),
  layer(
    ['electron/preload/**'],
    [
      {
        group: ['**/core/**', '**/main/**', '**/headless/**', '**/renderer/**', 'node:*'],
        message: 'The preload stays thin: shared contract and electron only.',
      },
    ],
  ),
  layer(
    ['renderer/**'],
    [
      {
        group: ['**/electron/**', 'node:*'],
        message: 'The renderer imports shared/ and its own files only.',
      },
    ],
    [noElectron],
  ),
  {
    files: ['electron/main/**'],
    ignores: ['electron/main/ipc/router.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/preload/**', '**/renderer/**', '**/headless/**'],
              message: 'main composes core; it does not reach into other roots.',
            },
          ],
          paths: [ipcOnlyInRouter],
        },
      ],
    },
  },
);
