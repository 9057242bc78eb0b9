// helm prints NOTES.txt only on install, which needs a cluster. To test it offline, render a
// copy of the chart with one more template that wraps NOTES.txt's exact text in a ConfigMap.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helm } from './helm.js';
import { chartPath } from './paths.js';
import { parseAllDocuments } from 'yaml';

export function renderNotes(chart: string, set: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'chart-notes-'));
  try {
    const copy = join(dir, chart);
    cpSync(chartPath(chart), copy, { recursive: true });
    const notes = readFileSync(join(copy, 'templates', 'NOTES.txt'), 'utf8');
    writeFileSync(
      join(copy, 'templates', 'zz-notes-probe.yaml'),
      `{{- define "notes-probe.text" }}${notes}{{- end }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: notes-probe
data:
  notes: {{ include "notes-probe.text" . | quote }}
`,
    );
    const args = ['template', chart, copy, '--namespace', 'gpio', '--show-only', 'templates/zz-notes-probe.yaml'];
    for (const s of set) args.push('--set', s);
    const res = helm(args);
    if (res.status !== 0) throw new Error(`rendering NOTES.txt failed: ${res.stderr}`);
    const cm = parseAllDocuments(res.stdout).map((d) => d.toJS() as { data?: { notes?: string } }).find((d) => d?.data?.notes);
    if (!cm?.data?.notes) throw new Error('notes probe rendered nothing');
    return cm.data.notes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
