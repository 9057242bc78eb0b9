// What `gpio-fleet label` will change, decided before anything is patched, so --dry-run and a
// real run print the same plan and a second run finds nothing to do (idempotent).
import type { V1Node } from '@kubernetes/client-node';

export type LabelAction = 'add' | 'change' | 'remove' | 'unchanged';

export interface LabelChange {
  node: string;
  action: LabelAction;
  from: string | undefined;
  to: string | undefined;
}

export function planLabels(nodes: readonly V1Node[], key: string, value: string, remove: boolean): LabelChange[] {
  return nodes.map((n) => {
    const node = n.metadata?.name ?? '?';
    const from = n.metadata?.labels?.[key];
    if (remove) return { node, action: from === undefined ? 'unchanged' : 'remove', from, to: undefined };
    if (from === value) return { node, action: 'unchanged', from, to: value };
    return { node, action: from === undefined ? 'add' : 'change', from, to: value };
  });
}

export function describeChange(c: LabelChange, key: string, dryRun: boolean): string {
  const would = dryRun ? ' (dry run)' : '';
  switch (c.action) {
    case 'add':
      return `node/${c.node} labelled ${key}=${c.to}${would}`;
    case 'change':
      return `node/${c.node} relabelled ${key}=${c.from} -> ${key}=${c.to}${would}`;
    case 'remove':
      return `node/${c.node} label ${key} removed (was ${c.from})${would}`;
    case 'unchanged':
      return `node/${c.node} unchanged (${c.to === undefined ? `no ${key} label` : `${key}=${c.to}`})`;
  }
}
