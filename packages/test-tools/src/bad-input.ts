// Bad input for any declared option, derived from the declaration itself, so a new flag is
// covered by the table-driven tests without anyone remembering to add a row.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

interface Declared {
  flag: string;
  env?: string | undefined;
  isSwitch?: boolean;
  parse(raw: string): unknown;
}

const CANDIDATES = ['bogus', '-1', '0', '1.5', '99999999', 'BOARD6', 'x:y', '-5s'];

/** A value the option's own parser rejects, or undefined for free-text options. */
export function invalidValueFor(option: Declared): string | undefined {
  if (option.isSwitch) return 'maybe';
  for (const c of CANDIDATES) {
    try {
      option.parse(c);
    } catch {
      return c;
    }
  }
  return undefined;
}

/**
 * For every option: a bad value by flag and by env var must exit 2 and name the source, the
 * value and the accepted form. `baseArgs`/`baseEnv` make the rest of the command valid.
 */
export function describeBadInput(
  name: string,
  /** The script to run with this Node, and any leading arguments (a subcommand). */
  command: readonly string[],
  options: Record<string, Declared>,
  settings: { freeText: string[]; baseArgs: string[]; baseEnv: NodeJS.ProcessEnv },
): void {
  describe(`${name}: every flag and env var rejects bad values (derived from the declarations)`, () => {
    for (const o of Object.values(options)) {
      const bad = invalidValueFor(o);
      if (bad === undefined) {
        it(`--${o.flag} is free text`, () => expect(settings.freeText).toContain(o.flag));
        continue;
      }
      const cases: [string, string[], NodeJS.ProcessEnv, string][] = [
        [`--${o.flag} ${bad}`, o.isSwitch ? [`--${o.flag}=${bad}`] : [`--${o.flag}`, bad], {}, `--${o.flag}`],
      ];
      if (o.env) cases.push([`${o.env}=${bad}`, [], { [o.env]: bad }, `env ${o.env}`]);
      for (const [name, args, env, source] of cases) {
        it(`${name} exits 2 naming the source, the value and the accepted form`, () => {
          const r = spawnSync(process.execPath, [...command, ...settings.baseArgs, ...args], {
            encoding: 'utf8',
            env: { ...process.env, ...settings.baseEnv, ...env },
            timeout: 20_000,
          });
          expect(r.status, r.stderr).toBe(2);
          expect(r.stderr).toContain(source);
          expect(r.stderr).toContain(`"${bad}"`);
          expect(r.stderr).toMatch(/accepted/i);
        });
      }
    }
  });
}
