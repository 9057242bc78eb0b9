// The VM runs our x64 executables (the fallback bundle is only for VM_APP=bundle by hand):
// build them first (cached).
import { ensureExecutables } from '@gpio-fleet/test-tools';

export default function setup(): void {
  if (process.env.VM_APP !== 'bundle') ensureExecutables(['x64']);
}
