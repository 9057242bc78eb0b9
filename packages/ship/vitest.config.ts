import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Installs qemu and the cross libraries, then builds dist/bin (cached after the first run).
    globalSetup: ['test/setup/build-binaries.ts'],
    // qemu runs are CPU-heavy and the machine has 2 shared cores: one file at a time.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
