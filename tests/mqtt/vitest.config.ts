import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Brokers are started on free ports per file; the files still run one after another so
    // timing-sensitive checks (reconnects, heartbeats) do not share two cores with each other.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 900_000,
  },
});
