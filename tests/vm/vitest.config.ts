import { defineConfig } from 'vitest/config';

// One VM boot per architecture serves every scenario (beforeAll); the first run also builds the
// kernel modules. Files run one after another: the VMs' timing checks should not share the
// CPUs with qemu-user or with each other. The scenario reporter ends the run with one
// "vm <arch>: <n> scenarios passed, <m> failed" line per architecture.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/scenario-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 30 * 60_000,
    fileParallelism: false,
  },
});
