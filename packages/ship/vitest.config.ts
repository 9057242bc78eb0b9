import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Use test-tools from source, so `npx vitest run` works on a fresh clone without a build.
    alias: { '@gpio-fleet/test-tools': fileURLToPath(new URL('../test-tools/src/index.ts', import.meta.url)) },
  },
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
