import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Argon2id, real keychain calls and a real browser are slow on two cores;
    // these bounds catch hangs, they do not measure speed.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    // Each worker keeps its imported modules between test files: no test mocks
    // a module or stubs a global, and re-importing the core, the MCP SDK and
    // Playwright for every file cost more than the tests themselves (test/unit:
    // 63 s isolated, 24 s shared). Each file still gets its own module scope.
    isolate: false,
  },
});
