// gpio-fleet nodes: every node, whether it is a Raspberry Pi, its device label, readiness and
// the gpio-fleet apps running on it.
import { PART_OF_SELECTOR } from '../kube/cluster.js';
import { allInOrder } from '../run/bounded.js';
import { summariseNodes, type NodeSummary } from '../model/node-summary.js';
import { PI_RULE_HELP } from '../model/pi-detect.js';
import { labelKeyOption } from '../options.js';
import { json, type CommandContext } from '../context.js';
import { renderTable } from '../output/table.js';

export const nodesCommand = {
  name: 'nodes',
  usage: 'gpio-fleet nodes [options]',
  summary: 'Lists every node with its architecture, whether it is a Raspberry Pi, its device label, readiness, and which gpio-fleet apps (pods labelled app.kubernetes.io/part-of=gpio-fleet) run on it.',
  footer: PI_RULE_HELP,
  options: { key: labelKeyOption },
  positionals: false,
};

export function renderNodes(rows: readonly NodeSummary[], key: string, colour: boolean): string {
  return renderTable(
    ['NAME', 'ARCH', 'PI', 'READY', key.toUpperCase(), 'APPS', 'KERNEL', 'OS-IMAGE'],
    rows.map((r) => [
      r.name,
      r.arch,
      r.pi ? { text: 'yes', tone: 'ok' } : { text: 'no', tone: 'dim' },
      r.ready ? { text: 'Ready', tone: 'ok' } : { text: 'NotReady', tone: 'bad' },
      r.label ?? { text: '-', tone: 'dim' },
      r.apps.length ? r.apps.join(',') : { text: '-', tone: 'dim' },
      r.kernel,
      r.osImage,
    ]),
    { colour },
  );
}

export async function runNodes(ctx: CommandContext, values: { key: string }): Promise<number> {
  const cluster = ctx.cluster();
  const [nodes, pods] = await allInOrder([cluster.listNodes(), cluster.listPods(PART_OF_SELECTOR, ctx.namespace)]);
  const rows = summariseNodes(nodes, pods, values.key);
  ctx.write(ctx.output === 'json' ? json(rows) : renderNodes(rows, values.key, ctx.colour));
  return 0;
}
