import { defineConfig } from 'vitest/config';

// One vitest run covers the whole repository so that a single closing line counts every test.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'tools/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'tests/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 300_000,
    reporters: ['default', './scripts/count-reporter.ts'],
  },
});
