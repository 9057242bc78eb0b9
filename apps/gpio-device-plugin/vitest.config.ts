import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Some tests run the built plugin as a process against a kubelet on real gRPC; on a loaded
  // 2-core machine that takes seconds. The timeout guards against hangs, it measures nothing.
  test: { include: ['test/**/*.test.ts'], testTimeout: 30_000 },
});
