// gpio-fleet status [APP]: the rollout of each gpio-fleet DaemonSet and the state of its pods.
import { PART_OF_SELECTOR } from '../kube/cluster.js';
import { EXIT, KubeError } from '../kube/errors.js';
import { allInOrder } from '../run/bounded.js';
import { rolloutStatus, type AppStatus } from '../model/rollout.js';
import { json, type CommandContext } from '../context.js';
import { renderTable } from '../output/table.js';

export const statusCommand = {
  name: 'status',
  usage: 'gpio-fleet status [APP] [options]',
  summary: 'For each gpio-fleet app DaemonSet (labelled app.kubernetes.io/part-of=gpio-fleet; APP filters by app.kubernetes.io/name, e.g. light-sensor): desired, current, ready, up-to-date and available pod counts, the image, and each pod\'s node, phase, readiness and restarts. Exits 3 while any rollout is incomplete, so scripts can wait on it.',
  footer: 'Examples:\n  gpio-fleet status\n  gpio-fleet status light-sensor --output json',
  options: {},
  positionals: true,
};

export function renderStatus(apps: readonly AppStatus[], colour: boolean): string {
  const out: string[] = [];
  out.push(
    renderTable(
      ['NAMESPACE', 'DAEMONSET', 'APP', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'ROLLOUT', 'IMAGE'],
      apps.map((a) => [a.namespace, a.daemonSet, a.app, a.desired, a.current, a.ready, a.updated, a.available, a.complete ? { text: 'complete', tone: 'ok' } : { text: 'in progress', tone: 'warn' }, a.image]),
      { colour },
    ),
  );
  for (const a of apps) {
    out.push(`\n${a.namespace}/${a.daemonSet} pods:\n`);
    out.push(
      a.pods.length === 0
        ? '  (none: no node matches the nodeSelector; label nodes with gpio-fleet label)\n'
        : renderTable(
            ['NODE', 'POD', 'PHASE', 'READY', 'RESTARTS', 'UP-TO-DATE', 'REASON'],
            a.pods.map((p) => [p.node, p.pod, { text: p.phase, tone: p.phase === 'Running' ? 'ok' : 'warn' }, p.ready ? { text: 'yes', tone: 'ok' } : { text: 'no', tone: 'bad' }, p.restarts, p.updated ? 'yes' : { text: 'no', tone: 'warn' }, p.reason]),
            { colour },
          ),
    );
  }
  return out.join('');
}

export async function runStatus(ctx: CommandContext, _values: Record<string, never>, positionals: readonly string[]): Promise<number> {
  if (positionals.length > 1) throw new KubeError(`status takes at most one APP, got ${positionals.join(' ')}`, EXIT.usage);
  const app = positionals[0];
  const selector = app ? `${PART_OF_SELECTOR},app.kubernetes.io/name=${app}` : PART_OF_SELECTOR;
  const cluster = ctx.cluster();
  const [sets, pods] = await allInOrder([cluster.listDaemonSets(selector, ctx.namespace), cluster.listPods(selector, ctx.namespace)]);
  if (app && sets.length === 0) throw new KubeError(`no gpio-fleet app "${app}"${ctx.namespace ? ` in namespace ${ctx.namespace}` : ''} (no DaemonSet labelled app.kubernetes.io/name=${app})`, EXIT.notFound);
  const apps = sets.map((ds) => rolloutStatus(ds, pods)).sort((a, b) => `${a.namespace}/${a.daemonSet}`.localeCompare(`${b.namespace}/${b.daemonSet}`));
  if (ctx.output === 'json') ctx.write(json(apps));
  else if (apps.length === 0) ctx.write('no gpio-fleet apps installed\n');
  else ctx.write(renderStatus(apps, ctx.colour));
  return apps.every((a) => a.complete) ? EXIT.ok : EXIT.rolloutIncomplete;
}
