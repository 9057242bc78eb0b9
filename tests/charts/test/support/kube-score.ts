// kube-score (github.com/zegl/kube-score), a peer's checker of Kubernetes objects, built from its
// Go module with test-tools' Go builder into <cache>/kube-score-<version>/bin. v1.20.0 is the
// only version the Go module proxy serves; its dependencies are few (k8s.io/api and
// apimachinery), so a cold build takes about 2 minutes on 2 cores.
import { spawnSync } from 'node:child_process';
import { ensureGoBinaries, type GoBinaries, type GoBuildOptions } from '@gpio-fleet/test-tools/provision';

export const KUBE_SCORE_VERSION = 'v1.20.0';

export const KUBE_SCORE: GoBinaries<'kube-score'> = {
  name: 'kube-score',
  version: KUBE_SCORE_VERSION,
  packages: ['github.com/zegl/kube-score/cmd/kube-score'],
  binaries: ['kube-score'],
  ldflags: ['-s', '-w', `-X main.version=${KUBE_SCORE_VERSION}`],
  cgo: false,
  verify: ({ 'kube-score': bin }) => {
    const v = spawnSync(bin, ['version'], { encoding: 'utf8' });
    if (v.status !== 0 || !v.stdout.includes(`version: ${KUBE_SCORE_VERSION}`)) throw new Error(`the built kube-score does not run or reports the wrong version: ${v.stdout}${v.stderr}`);
  },
};

/** Path of kube-score, built first when missing. */
export function ensureKubeScore(options: GoBuildOptions = {}): string {
  return ensureGoBinaries(KUBE_SCORE, options)['kube-score'];
}

/** One check of one object, as `kube-score score --output-format json` reports it. */
export interface KubeScoreCheck {
  object: string;
  id: string;
  grade: number;
  skipped: boolean;
  comments: string[];
}

/** kube-score's grades (scorecard.Grade). */
export const GRADE = { critical: 1, warning: 5, almostOk: 7, allOk: 10 } as const;

/** Scores rendered manifests; `flags` are kube-score's own (e.g. --disable-ignore-checks-annotations). */
export function kubeScore(manifests: string, flags: readonly string[] = []): KubeScoreCheck[] {
  const res = spawnSync(ensureKubeScore(), ['score', '--output-format', 'json', ...flags, '-'], { input: manifests, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  // kube-score exits 1 when it finds a critical; anything else is a failure to run.
  if (res.status !== 0 && res.status !== 1) throw new Error(`kube-score failed (exit ${res.status}): ${res.stderr}`);
  const objects = JSON.parse(res.stdout) as {
    object_name: string;
    checks: { check: { id: string }; grade: number; skipped: boolean; comments: { summary: string; path?: string }[] | null }[];
  }[];
  return objects.flatMap((o) =>
    o.checks.map((c) => ({ object: o.object_name, id: c.check.id, grade: c.grade, skipped: c.skipped, comments: (c.comments ?? []).map((x) => (x.path ? `${x.path}: ${x.summary}` : x.summary)) })),
  );
}

/** The failed checks (critical, not skipped), as "<object> <check>: <comment>" lines. */
export function criticals(checks: readonly KubeScoreCheck[]): string[] {
  return checks.filter((c) => !c.skipped && c.grade === GRADE.critical).flatMap((c) => c.comments.map((m) => `${c.object} ${c.id}: ${m}`));
}
