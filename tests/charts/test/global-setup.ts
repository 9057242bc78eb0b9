// Runs once before the suite: make sure the pinned helm and kube-score exist (building them from
// their Go modules if needed) and that Prometheus' promtool is installed (Debian's prometheus).
import { ensureCommand, ensureHelm } from '@gpio-fleet/test-tools/provision';
import { ensureKubeScore } from './support/kube-score.js';

export default function setup(): void {
  ensureHelm();
  ensureKubeScore();
  ensureCommand('promtool', 'prometheus');
}
