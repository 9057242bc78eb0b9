// Part 6's results as Markdown. Kept out of the main report: they have their own block in
// bench/README.md, so a run of part 6 alone updates its figures and leaves the others' alone.
import { mib, sig, table } from './lib/format.js';
import type { FleetResult } from './parts/fleet.js';
import { failed, type PartFailure } from './results.js';

export const FLEET_HEADING = '### 6. Fleet';

const s = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? `${sig(x, 3)} s` : 'n/a');

export function fleetReport(r: FleetResult | PartFailure, run: { startedAt: string; command: string; machine: { loadAverage: number[] } }): string {
  if (failed(r)) return `${FLEET_HEADING}\n\nFAILED: ${r.error}`;
  if (r.status !== 'measured') return `${FLEET_HEADING}\n\nPending: ${r.reason}. Hook: \`bench/src/parts/fleet.ts\`.`;
  const lr = r.labelToReady;
  const out = [
    FLEET_HEADING,
    '',
    `Run ${run.startedAt} with \`${run.command}\`; load average at start ${run.machine.loadAverage.join(' / ')} (2 cores shared with other work). ` +
      `The project's control plane (tests/cluster: kube-apiserver, controller-manager, scheduler, etcd; kwok kubelets) with up to ${r.nodes} nodes; the light-sensor chart installed with helm (gpio.access=none). ` +
      `The pods' IPs answer the API server's pod proxy: one real light-sensor (mock backend) in a network namespace holding the whole pod range. Control plane up, its controllers running and the first nodes registered, in ${s(r.controlPlaneStartSeconds)}. ${r.note}`,
    '',
    `**Label → Ready, one Pi**, ${lr.trials.length} trials (\`gpio-fleet label <pi>\` as a process, until the pod is Ready; a watch on nodes and pods times each step): median ${s(lr.medianSeconds)}, 90th percentile ${s(lr.p90Seconds)}, range ${s(lr.minSeconds)} – ${s(lr.maxSeconds)}. ` +
      `The CLI process is ${s(lr.medianCliSeconds)} of it (median); from the label reaching the API server to a Ready pod, the control plane takes ${s(lr.medianControlPlaneSeconds)}.`,
    '',
    table(
      ['trial', 'CLI exits', 'label seen', 'pod created', 'pod bound', 'pod Ready'],
      lr.trials.map((t, i) => [String(i + 1), s(t.cliSeconds), s(t.labelSeenSeconds), s(t.podCreatedSeconds), s(t.podBoundSeconds), s(t.readySeconds)]),
    ),
    '',
    'From `gpio-fleet label <nodes>` (the CLI, whole process) to a Ready pod on every labelled Pi; each size starts with no Pi labelled:',
    '',
    table(
      ['Pis labelled', 'gpio-fleet label (CLI)', 'to the first Ready pod', 'to a Ready pod on every Pi'],
      r.label.map((l) => [String(l.nodes), s(l.cliSeconds), s(l.firstReadySeconds), s(l.allReadySeconds)]),
    ),
    '',
    `\`helm upgrade --set image.tag=bench-update\` until the rollout is complete on all ${r.rollout.nodes} Pis: ${s(r.rollout.seconds)} (${s(r.rollout.perNodeSeconds)} a node; helm itself ${s(r.rollout.helmSeconds)}); fewest Ready pods seen during the rollout: ${r.rollout.fewestReady} of ${r.rollout.nodes} (maxUnavailable 1). \`gpio-fleet status light-sensor\` over ${r.rollout.nodes} pods: ${s(r.cliStatusSeconds)}.`,
  ];
  if (r.sizes.length > 0) {
    const reps = r.sizes[0]!.commands[0]?.wallSeconds.length ?? 0;
    out.push(
      '',
      `**The CLI at fleet size**: every Pi labelled and running a Ready light-sensor pod; wall time and peak RSS of the \`gpio-fleet\` process (GNU time), medians of ${reps}. ` +
        'Lists in pages of 500; readings and doctor read every pod 16 at a time through the pod proxy; label --auto sets a fresh label key on every Pi each run.',
      '',
      table(
        ['command', ...r.sizes.map((z) => `${z.pis} Pis: wall`), ...r.sizes.map((z) => `${z.pis} Pis: peak RSS`), 'exit codes'],
        r.sizes[0]!.commands.map((c, i) => [
          `gpio-fleet ${c.command}`,
          ...r.sizes.map((z) => s(z.commands[i]?.medianWallSeconds)),
          ...r.sizes.map((z) => mib((z.commands[i]?.medianMaxRssKb ?? NaN) * 1024)),
          [...new Set(r.sizes.flatMap((z) => z.commands[i]?.exitCodes ?? []))].join(', '),
        ]),
      ),
      '',
      r.sizes.map((z) => `${z.pis} Pis (${z.nodes} nodes): ${z.registerSeconds > 0.01 ? `the added Pis registered in ${s(z.registerSeconds)}; ` : ''}\`gpio-fleet label --auto\` to a Ready pod on every Pi in ${s(z.labelAllSeconds)}.`).join(' '),
    );
  }
  return out.join('\n');
}
