// Before any test: install what building and emulating the three targets needs (qemu, cross
// toolchains, armhf libraries; systemd-analyze and unshare for the deployment tests), then
// build dist/bin exactly as `npm run build:binaries` does. Warm runs come from the cache.
import { ensureDebianPackages } from '@gpio-fleet/test-tools';
import { buildBinaries } from '../../src/build.js';
import { createProgress } from '../../src/progress.js';
import { TARGET_ARCHES } from '../../src/targets.js';
import { hostRequirements } from '../../src/toolchain.js';

export default async function setup(): Promise<void> {
  const req = hostRequirements(TARGET_ARCHES);
  ensureDebianPackages([...req.packages, 'systemd', 'util-linux'], { architectures: req.architectures });
  await buildBinaries({ progress: createProgress((line) => process.stdout.write(`${line}\n`)) });
}
