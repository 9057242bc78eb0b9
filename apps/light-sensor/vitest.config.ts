import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The tests run the built app as processes; on a loaded 2-core machine a multi-step test
  // can take several seconds. The timeout guards against hangs, it measures nothing.
  test: { include: ['test/**/*.test.ts'], testTimeout: 30_000 },
});
