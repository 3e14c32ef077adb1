import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'results/**'],
    globalSetup: ['test/support/global-postgres.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests start real servers; two cores do not gain from more.
    maxWorkers: 2,
  },
});
