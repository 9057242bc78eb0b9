// Ends a run that included test/vm.test.ts with one line per architecture:
//   vm <arch>: <n> scenarios passed, <m> failed
// A scenario passed when every test in its `scenario <name>` block passed. One that has no
// passing result (its VM did not boot, its tests were skipped, or never collected) is counted
// as failed, never left out.
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { requestedArches } from '../src/arch.js';
import { ALL_SCENARIOS } from '../src/vm-run.js';

/** Every scenario the VM suite reports, per architecture. */
export const REPORTED_SCENARIOS: readonly string[] = ['boot', ...ALL_SCENARIOS];

/** The architecture and scenario a test belongs to, from its enclosing `vm <arch>` and `scenario <name>` blocks. Pure. */
export function placeOf(suiteNames: readonly string[]): { arch: string; scenario: string } | undefined {
  const arch = suiteNames.map((n) => /^vm (\S+)$/.exec(n)?.[1]).find(Boolean);
  const scenario = suiteNames.map((n) => /^scenario (\S+)$/.exec(n)?.[1]).find(Boolean);
  return arch && scenario ? { arch, scenario } : undefined;
}

/** "vm <arch>: <n> scenarios passed, <m> failed" lines from each test's place and whether it passed. Pure. */
export function summaryLines(
  arches: readonly string[],
  scenarios: readonly string[],
  tests: readonly { arch: string; scenario: string; passed: boolean }[],
): string[] {
  return arches.map((arch) => {
    const mine = tests.filter((t) => t.arch === arch);
    const names = new Set([...scenarios, ...mine.map((t) => t.scenario)]);
    let passed = 0;
    for (const s of names) {
      const ofScenario = mine.filter((t) => t.scenario === s);
      if (ofScenario.length > 0 && ofScenario.every((t) => t.passed)) passed++;
    }
    return `vm ${arch}: ${passed} scenarios passed, ${names.size - passed} failed`;
  });
}

function suiteNames(test: TestCase): string[] {
  const names: string[] = [];
  for (let p = test.parent; p.type === 'suite'; p = p.parent) names.push(p.name);
  return names;
}

export default class ScenarioReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[]): void {
    const vmModules = testModules.filter((m) => /(^|\/)test\/vm\.test\.ts$/.test(m.moduleId));
    if (vmModules.length === 0) return;
    const tests: { arch: string; scenario: string; passed: boolean }[] = [];
    for (const m of vmModules) {
      for (const t of m.children.allTests()) {
        const place = placeOf(suiteNames(t));
        if (place) tests.push({ ...place, passed: t.result().state === 'passed' });
      }
    }
    const lines = summaryLines(requestedArches().map((a) => a.arch), REPORTED_SCENARIOS, tests);
    process.stdout.write(`\n${lines.join('\n')}\n`);
  }
}
