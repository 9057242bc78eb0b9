// gpio-fleet doctor [NODE...]: per node of the fleet, from the API server only: Pi detection and
// the device label, the node's architecture against the platforms of each app's image, the
// GPIO device from the device plugin (advertised, allocatable, in use), the app pods (Ready,
// restarts, last stop) and, through the pod proxy, the age of the last good light reading.
// Every problem comes with one line that says how to fix it; exit 3 when there is one.
import { opt } from '@gpio-fleet/cli-kit';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { PART_OF_SELECTOR, type Cluster } from '../kube/cluster.js';
import { EXIT, KubeError } from '../kube/errors.js';
import { CHECKS, diagnoseNode, fleetNodes, type Finding, type NodeReport, type ReadingProbe } from '../model/doctor.js';
import { PI_RULE_HELP } from '../model/pi-detect.js';
import { targetNode } from '../model/rollout.js';
import { fetchOptions, labelKeyOption, labelValueOption, type FetchSettings } from '../options.js';
import { allInOrder, mapBounded } from '../run/bounded.js';
import { json, type CommandContext } from '../context.js';
import { renderTable, type CellInput } from '../output/table.js';
import { readSensor, runningPods } from './readings.js';

export const doctorCommand = {
  name: 'doctor',
  usage: 'gpio-fleet doctor [NODE...] [options]',
  summary:
    "Checks each node of the fleet (the named nodes, or every detected Raspberry Pi and every node with the device label): Pi detection and the label; the node's architecture against the platforms of each gpio-fleet app's image (the DaemonSet's gpio-fleet.io/platforms annotation); the GPIO device the pods request from a device plugin (advertised, allocatable, in use, and which plugin provides it); the app pods (Ready, restarts, why they last stopped); and the age of the last good light reading, read through the pod proxy. Each problem comes with a line that says how to fix it. Exits 0 when all is well, 3 when a problem was found.",
  footer: ['Examples:', '  gpio-fleet doctor', '  gpio-fleet doctor pi4-a pi5-a --output json', '', PI_RULE_HELP].join('\n'),
  options: {
    key: labelKeyOption,
    value: labelValueOption,
    maxAge: opt.duration({ flag: 'max-age', env: 'GPIO_FLEET_MAX_READING_AGE', default: '5m', positive: true, group: 'Doctor', description: 'A light sensor whose last good reading is older than this is a problem (the LightSensorNoReadings alert uses 5m).' }),
    ...fetchOptions,
  },
  positionals: true,
};

export interface DoctorValues extends FetchSettings {
  key: string;
  value: string;
  maxAge: number;
}

async function selectNodes(cluster: Cluster, names: readonly string[], key: string, concurrency: number): Promise<V1Node[]> {
  if (names.length === 0) return fleetNodes(await cluster.listNodes(), key);
  return mapBounded([...new Set(names)], concurrency, (name) =>
    cluster.readNode(name).catch((e: unknown) => {
      if (e instanceof KubeError && e.exitCode === EXIT.notFound) throw new KubeError(`unknown node "${name}" (see gpio-fleet nodes)`, EXIT.notFound, { cause: e });
      throw e;
    }),
  );
}

/** Every pod bound to the nodes: one query per node when they are few, else one list of all live pods. */
async function podsOnNodes(cluster: Cluster, nodes: readonly V1Node[], named: boolean, concurrency: number): Promise<Map<string, V1Pod[]>> {
  const byNode = new Map<string, V1Pod[]>(nodes.map((n) => [n.metadata?.name ?? '', []]));
  const pods = named
    ? (await mapBounded(nodes, concurrency, (n) => cluster.queryPods({ fieldSelector: `spec.nodeName=${n.metadata?.name}` }))).flat()
    : await cluster.queryPods({ fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed' });
  for (const p of pods) byNode.get(p.spec?.nodeName ?? '')?.push(p);
  return byNode;
}

export async function runDoctor(ctx: CommandContext, values: DoctorValues, names: readonly string[]): Promise<number> {
  const cluster = ctx.cluster();
  const nodes = await selectNodes(cluster, names, values.key, values.concurrency);
  const selected = new Set(nodes.map((n) => n.metadata?.name ?? ''));
  const [daemonSets, appPods, nodePods] = await allInOrder([
    cluster.listDaemonSets(PART_OF_SELECTOR, ctx.namespace),
    cluster.listPods(PART_OF_SELECTOR, ctx.namespace),
    podsOnNodes(cluster, nodes, names.length > 0, values.concurrency),
  ]);

  const sensors = runningPods(appPods).filter((p) => p.metadata?.labels?.['app.kubernetes.io/name'] === 'light-sensor' && selected.has(targetNode(p)));
  const shown = ctx.progress('reading light sensors', sensors.length);
  const probes = await mapBounded(sensors, values.concurrency, (p) => readSensor(cluster, p, values.timeout), () => shown.tick()).finally(() => shown.done());
  const readings = new Map<string, ReadingProbe>(probes.map((r) => [`${r.namespace}/${r.pod}`, { lastReading: r.lastReading, error: r.error }]));

  const now = Date.now() / 1000;
  const reports = nodes
    .map((node) =>
      diagnoseNode({ node, labelKey: values.key, labelValue: values.value, daemonSets, appPods, nodePods: nodePods.get(node.metadata?.name ?? '') ?? [], readings, now, maxReadingAge: values.maxAge }),
    )
    .sort((a, b) => a.node.localeCompare(b.node));
  const problems = reports.reduce((n, r) => n + r.problems, 0);
  if (ctx.output === 'json') ctx.write(json({ nodes: reports, problems }));
  else ctx.write(renderDoctor(reports, ctx.colour));
  return problems > 0 ? EXIT.rolloutIncomplete : EXIT.ok;
}

/** One cell per check: ok, the number of problems, or "-" when nothing applied. */
function summaryCell(findings: readonly Finding[]): CellInput {
  if (findings.length === 0 || findings.every((f) => f.status === 'skipped')) return { text: '-', tone: 'dim' };
  const bad = findings.filter((f) => f.status === 'problem').length;
  return bad === 0 ? { text: 'ok', tone: 'ok' } : { text: bad === 1 ? 'problem' : `${bad} problems`, tone: 'bad' };
}

export function renderDoctor(reports: readonly NodeReport[], colour: boolean): string {
  if (reports.length === 0) return 'no Raspberry Pi and no labelled node found\n';
  const out = [
    renderTable(
      ['NODE', ...CHECKS.map((c) => c.toUpperCase())],
      reports.map((r) => [r.node, ...CHECKS.map((c) => summaryCell(r.findings.filter((f) => f.check === c)))]),
      { colour },
    ),
  ];
  const problems = reports.flatMap((r) => r.findings.filter((f) => f.status === 'problem').map((f) => ({ node: r.node, ...f })));
  if (problems.length === 0) out.push('\nno problems found\n');
  else {
    out.push(`\n${problems.length} problem(s):\n`);
    for (const p of problems) out.push(`${p.node} ${p.check}${p.app ? ` (${p.app})` : ''}: ${p.detail}\n  fix: ${p.fix ?? '-'}\n`);
  }
  return out.join('');
}
