// The VMs run our executables for their architecture (the fallback bundle is only for
// VM_APP=bundle on x64 by hand): build them first (cached).
import { ensureExecutables } from '@gpio-fleet/test-tools';
import { requestedArches } from '../src/arch.js';

export default function setup(): void {
  const arches = requestedArches().map((a) => a.arch);
  const needed = process.env.VM_APP === 'bundle' ? arches.filter((a) => a !== 'x64') : arches;
  if (needed.length > 0) ensureExecutables(needed);
}
