// Every traffic-light setting: flag, env var, default and accepted form in one place.
import { parsePin } from '@gpio-fleet/gpio';
import { commonOptions, opt } from '@gpio-fleet/service';
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
  ...commonOptions({ port: 9111 }),
};
