// gpio-fleet label: put the device label (device=raspberry, what the charts' nodeSelector
// wants) on named nodes or on every detected Raspberry Pi; or take it off with --remove.
import { opt, UsageError } from '@gpio-fleet/cli-kit';
import type { V1Node } from '@kubernetes/client-node';
import { EXIT, KubeError } from '../kube/errors.js';
import { describeChange, planLabels } from '../model/label-plan.js';
import { isPiNode, PI_RULE_HELP } from '../model/pi-detect.js';
import { labelKeyOption, labelValueOption } from '../options.js';
import { mapBounded } from '../run/bounded.js';
import { json, type CommandContext } from '../context.js';

export const labelCommand = {
  name: 'label',
  usage: 'gpio-fleet label [NODE...] [--auto] [--key device] [--value raspberry] [--remove] [--dry-run]',
  summary: 'Labels nodes so the gpio-fleet DaemonSets run there (their nodeSelector is device=raspberry by default). Name the nodes, or pass --auto to pick every detected Raspberry Pi. Idempotent: prints each node as labelled, relabelled, removed or unchanged; a second run changes nothing. Every named node is checked before any is changed.',
  footer: ['Examples:', '  gpio-fleet label --auto --dry-run', '  gpio-fleet label pi4-a pi4-b', '  gpio-fleet label pi4-a --remove', '', PI_RULE_HELP].join('\n'),
  options: {
    auto: opt.switch({ flag: 'auto', group: 'Label', description: 'Label every node detected as a Raspberry Pi (rule below) instead of named nodes.' }),
    key: labelKeyOption,
    value: labelValueOption,
    remove: opt.switch({ flag: 'remove', group: 'Label', description: 'Remove the label instead of setting it.' }),
    dryRun: opt.switch({ flag: 'dry-run', group: 'Label', description: 'Show what would change (checked by the API server with a server-side dry run) and change nothing.' }),
  },
  positionals: true,
};

/** Node patches in flight at once. */
const PATCH_CONCURRENCY = 16;

export async function runLabel(ctx: CommandContext, values: { auto: boolean; key: string; value: string; remove: boolean; dryRun: boolean }, names: readonly string[]): Promise<number> {
  if (values.auto && names.length > 0) throw new UsageError('pass either node names or --auto, not both');
  if (!values.auto && names.length === 0) throw new UsageError('name at least one node, or pass --auto to label every detected Raspberry Pi');
  const cluster = ctx.cluster();
  let targets: V1Node[];
  if (values.auto) {
    targets = (await cluster.listNodes()).filter(isPiNode).sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  } else {
    // Read every node first: an unknown name fails the run before anything is changed.
    targets = await mapBounded([...new Set(names)], PATCH_CONCURRENCY, (name) =>
      cluster.readNode(name).catch((e: unknown) => {
        if (e instanceof KubeError && e.exitCode === EXIT.notFound) throw new KubeError(`unknown node "${name}" (see gpio-fleet nodes)`, EXIT.notFound, { cause: e });
        throw e;
      }),
    );
  }
  const plan = planLabels(targets, values.key, values.value, values.remove);
  // A fleet of a thousand Pis is a thousand patches: a few at a time, not one after another.
  await mapBounded(plan.filter((c) => c.action !== 'unchanged'), PATCH_CONCURRENCY, (c) => cluster.patchNodeLabels(c.node, { [values.key]: c.action === 'remove' ? null : values.value }, values.dryRun));
  if (ctx.output === 'json') ctx.write(json({ key: values.key, dryRun: values.dryRun, changes: plan }));
  else {
    if (plan.length === 0) ctx.write(values.auto ? 'no Raspberry Pi nodes found\n' : '');
    for (const c of plan) ctx.write(`${describeChange(c, values.key, values.dryRun)}\n`);
  }
  return 0;
}
