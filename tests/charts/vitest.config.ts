import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds the pinned helm with `go install` when this machine has none yet.
    globalSetup: ['test/global-setup.ts'],
    // helm and the TypeScript model walk take seconds on a loaded 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Each file runs helm a few dozen times; two at once is plenty on 2 shared cores.
    maxWorkers: 2,
  },
});
