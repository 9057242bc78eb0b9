// Runs once before the suite: make sure the pinned helm exists (building it if needed).
import { ensureHelm } from '@gpio-fleet/test-tools/provision';

export default function setup(): void {
  ensureHelm();
}
