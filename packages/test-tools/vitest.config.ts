import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The Debian test runs apt-get (update and one small install); the Go tests compile.
    testTimeout: 300_000,
  },
});
