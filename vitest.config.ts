import { configDefaults, defineConfig } from 'vitest/config';

// Tests that judge timing (a regression verdict, a capacity knee) run in a group
// of their own, one file at a time, so another file's load on the two cores
// cannot move their figures.
const TIMING = ['harness/report/compare-runs.test.ts', 'harness/report/capacity-model.test.ts'];

export default defineConfig({
  test: {
    // .cats-stress/perf-base holds checkouts of other revisions (perf-ci), with their own tests.
    exclude: [...configDefaults.exclude, 'results/**', '.cats-stress/**'],
    globalSetup: ['test/support/global-postgres.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests start real servers; two cores do not gain from more.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'timing', include: TIMING, fileParallelism: false, sequence: { groupOrder: 0 } } },
      {
        extends: true,
        test: {
          name: 'main',
          include: ['**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'results/**', '.cats-stress/**', ...TIMING],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
