// The --mock-lux value: a constant, a day/night cycle or a list of steps.
import { constantLight, dayNightLight, stepLight, type LightSource } from '@gpio-fleet/gpio';
import { parseDuration } from '@gpio-fleet/cli-kit';

export const MOCK_LUX_FORM =
  '<lux> (e.g. 100), daynight:<period>[:<minLux>:<maxLux>] (e.g. daynight:5m:1:10000), or steps:<lux>,<lux>,...@<dwell> (e.g. steps:1,100,1000@10s)';

function lux(text: string, input: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new Error(`invalid mock light "${input}": "${text}" is not a lux value >= 0. Accepted: ${MOCK_LUX_FORM}`);
  }
  return n;
}

function period(text: string, input: string): number {
  const s = parseDuration(text);
  if (s === undefined || s <= 0) throw new Error(`invalid mock light "${input}": "${text}" is not a positive duration. Accepted: ${MOCK_LUX_FORM}`);
  return s;
}

export function parseMockLight(input: string): LightSource {
  const text = input.trim();
  if (text.startsWith('daynight:')) {
    const [p, min, max, ...rest] = text.slice('daynight:'.length).split(':');
    if (rest.length > 0 || p === undefined || (min === undefined) !== (max === undefined)) {
      throw new Error(`invalid mock light "${input}". Accepted: ${MOCK_LUX_FORM}`);
    }
    const lo = min === undefined ? 0.5 : lux(min, input);
    const hi = max === undefined ? 10_000 : lux(max, input);
    if (!(lo > 0 && hi > lo)) throw new Error(`invalid mock light "${input}": need 0 < minLux < maxLux. Accepted: ${MOCK_LUX_FORM}`);
    return dayNightLight(period(p, input), lo, hi);
  }
  if (text.startsWith('steps:')) {
    const [levels, dwell, ...rest] = text.slice('steps:'.length).split('@');
    if (rest.length > 0 || levels === undefined || dwell === undefined) {
      throw new Error(`invalid mock light "${input}": steps need "@<dwell>". Accepted: ${MOCK_LUX_FORM}`);
    }
    return stepLight(levels.split(',').map((l) => lux(l, input)), period(dwell, input));
  }
  return constantLight(lux(text, input));
}
