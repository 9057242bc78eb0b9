import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The first run builds the x64 executables (a few minutes, then cached).
    hookTimeout: 1_200_000,
    testTimeout: 60_000,
  },
});
