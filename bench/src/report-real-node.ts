// Part 7's results as Markdown. Kept out of the main report: they have their own block in
// bench/README.md, so a run of part 7 alone updates its figures and leaves the others' alone.
import { mb, sig, table } from './lib/format.js';
import { median } from './lib/stats.js';
import type { RealNodeResult } from './parts/real-node.js';
import { failed, type PartFailure } from './results.js';

export const REAL_NODE_HEADING = '### 7. A real node';

export function realNodeReport(r: RealNodeResult | PartFailure, run: { startedAt: string; command: string }): string {
  if (failed(r)) return `${REAL_NODE_HEADING}\n\nFAILED: ${r.error}`;
  if (r.status !== 'measured') return `${REAL_NODE_HEADING}\n\nPending: ${r.reason}. Hook: \`bench/src/parts/real-node.ts\`.`;
  const s = (x: number) => `${sig(x, 3)} s`;
  const n = r.trials.length;
  return [
    REAL_NODE_HEADING,
    '',
    `Run ${run.startedAt} with \`${run.command}\`. tests/cluster's real node real-0 (kubelet ${r.versions.kubelet}, ${r.versions.containerd}, runc ${r.versions.runc.slice(1)}, cgroupfs on cgroups v1) joined to the project's control plane, pulling from a local registry (distribution ${r.versions.registry}) on 127.0.0.1; the light-sensor chart with \`gpio.access=none\`. Node up (registry, bridge, containerd, kubelet to Ready) in ${s(r.nodeStartSeconds)}. Medians of ${n} trials. ${r.note}`,
    '',
    table(
      ['timing', 'median', 'trials', 'pulled (median)'],
      [
        ['`gpio-fleet label real-0` → pod Ready, cold (first pull)', s(r.medians.coldSeconds), r.trials.map((t) => sig(t.coldSeconds, 3)).join(', '), mb(r.medians.coldBytes)],
        ['the same after a pod deletion, warm (image cached)', s(r.medians.warmSeconds), r.trials.map((t) => sig(t.warmSeconds, 3)).join(', '), mb(median(r.trials.map((t) => t.warmBytes)))],
        ['`helm upgrade --set image.tag=…` → rollout complete (code-only change)', s(r.medians.upgradeSeconds), r.trials.map((t) => sig(t.upgradeSeconds, 3)).join(', '), mb(r.medians.upgradeBytes)],
      ],
    ),
    '',
    `The update's bytes are the new tag's manifests, config and app layer as the registry's access log counts them; the runtime layer stays on the node. The second tag was built from a code-only change in ${s(r.rebuildSeconds)}.`,
  ].join('\n');
}
