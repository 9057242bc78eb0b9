// The suite needs a real Prometheus and the x64 executables: install and build them (cached),
// loudly; never skip.
import { ensureCommand, ensureExecutables } from '@gpio-fleet/test-tools';

export default function setup(): void {
  ensureCommand('prometheus', 'prometheus');
  ensureExecutables(['x64']);
}
