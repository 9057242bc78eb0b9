import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds the control plane (first run only: go build, tens of minutes on 2 cores) and helm,
    // then starts one control plane and the fake fleet for every file.
    globalSetup: ['test/global-setup.ts'],
    // The files share one cluster and its nodes' labels: one file at a time.
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 3_600_000,
  },
});
