import { defineConfig } from 'vitest/config';

// One VM boot serves every scenario (beforeAll); the first run also builds the kernel modules.
// Files run one after another: the VM's timing checks should not share the CPUs with qemu-user.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], globalSetup: ['test/global-setup.ts'], testTimeout: 60_000, hookTimeout: 30 * 60_000, fileParallelism: false },
});
