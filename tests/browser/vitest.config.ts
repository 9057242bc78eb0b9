import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Installs Debian's chromium when it is missing; fails the run when it cannot.
    globalSetup: ['test/global-setup.ts'],
    // One browser and a few app processes per file; the timeout guards against hangs.
    testTimeout: 60_000,
    hookTimeout: 900_000,
  },
});
