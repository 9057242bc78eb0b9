import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds what is missing (the node's parts from their Go modules, the images), then starts
    // the control plane with its fake fleet, the real node real-0 and its registry for every
    // file; afterwards checks that the machine is as it was.
    globalSetup: ['test/global-setup.ts'],
    // One node, one set of labels: one file at a time.
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 3_600_000,
  },
});
