// Runs once before the suite: make sure the pinned helm exists (building it if needed).
import { ensureHelm } from '../scripts/helm.mjs';

export default function setup(): void {
  ensureHelm();
}
