// Every traffic-light setting: flag, env var, default and accepted form in one place.
import { LAMPS, parsePin, type Lamp, type Pin } from '@gpio-fleet/gpio';
import { opt, UsageError } from '@gpio-fleet/cli-kit';
import { serviceOptions } from '@gpio-fleet/runtime';
import { DEFAULT_PHASES_TEXT, parsePhases, PHASES_FORM } from './phases.js';

const pinOption = (lamp: string, env: string, def: string, where: string) =>
  opt.custom({
    flag: lamp,
    env,
    default: def,
    placeholder: '<pin>',
    accepted: 'BOARD<n>, J8:<n>, BCM<n>, GPIO<n>, WPI<n> or a bare BCM number',
    parse: parsePin,
    group: 'Lamps',
    description: `Pin driving the ${lamp} LED (${where} in the original wiring).`,
  });

export const options = {
  red: pinOption('red', 'TRAFFIC_LIGHT_RED_PIN', 'WPI13', 'wiringPi 13 = BOARD21'),
  amber: pinOption('amber', 'TRAFFIC_LIGHT_AMBER_PIN', 'WPI12', 'wiringPi 12 = BOARD19'),
  green: pinOption('green', 'TRAFFIC_LIGHT_GREEN_PIN', 'WPI14', 'wiringPi 14 = BOARD23'),
  phases: opt.custom({
    flag: 'phases',
    env: 'TRAFFIC_LIGHT_PHASES',
    default: DEFAULT_PHASES_TEXT,
    placeholder: '<phases>',
    accepted: PHASES_FORM,
    parse: parsePhases,
    group: 'Sequence',
    description: 'The cycle of phases, repeated; boundaries are anchored to the start so timing never drifts.',
  }),
  once: opt.switch({ flag: 'once', group: 'Sequence', description: 'Lamp check: show the first phase for its duration, print one JSON line on stdout, switch everything off and exit 0.' }),
  cycles: opt.number({ flag: 'cycles', env: 'TRAFFIC_LIGHT_CYCLES', default: '0', integer: true, min: 0, group: 'Sequence', description: 'Run this many cycles, switch all lamps off and exit 0 (0 runs until stopped).' }),
  ...serviceOptions({ port: 9111 }),
};

/** Two lamps on one pin would fight each other: refuse before touching hardware. */
export function checkPins(pins: Readonly<Record<Lamp, Pin>>): void {
  for (const [i, a] of LAMPS.entries()) {
    for (const b of LAMPS.slice(i + 1)) {
      if (pins[a].bcm === pins[b].bcm) {
        throw new UsageError(
          `--${a} "${pins[a].input}" and --${b} "${pins[b].input}" are the same pin (${pins[a].id}); each lamp needs its own GPIO`,
        );
      }
    }
  }
}
