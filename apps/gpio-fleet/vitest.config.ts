import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The bad-input cases start the built CLI once each: loading the Kubernetes client takes
    // Node a few seconds on a loaded 2-core machine.
    testTimeout: 30_000,
  },
});
