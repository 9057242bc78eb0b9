// The --phases value: "red:3s,red+amber:1s,green:5s,amber:2s" (yellow is accepted for amber,
// off for no lamps).
import { LAMPS, phase, type Lamp, type Phase } from '@gpio-fleet/gpio';
import { parseDuration } from '@gpio-fleet/cli-kit';

export const PHASES_FORM =
  'comma-separated <lamps>:<duration>, lamps joined by + from red, amber (or yellow), green, or off; e.g. red:3s,red+amber:1s,green:5s,amber:2s';

export const DEFAULT_PHASES_TEXT = 'red:3s,red+amber:1s,green:5s,amber:2s';

export function parsePhases(input: string): Phase[] {
  const bad = (why: string) => new Error(`invalid phases "${input}": ${why}. Accepted: ${PHASES_FORM}`);
  const parts = input.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) throw bad('empty phase');
  return parts.map((part) => {
    const [lampsText, durationText, ...rest] = part.split(':');
    if (rest.length > 0 || !lampsText || durationText === undefined) throw bad(`"${part}" is not <lamps>:<duration>`);
    const seconds = parseDuration(durationText);
    if (seconds === undefined || seconds <= 0) throw bad(`"${durationText}" in "${part}" is not a positive duration`);
    const names = lampsText.toLowerCase().split('+').map((l) => (l.trim() === 'yellow' ? 'amber' : l.trim()));
    if (names.length === 1 && names[0] === 'off') return phase([], seconds);
    for (const n of names) if (!(LAMPS as readonly string[]).includes(n)) throw bad(`"${n}" in "${part}" is not a lamp`);
    if (new Set(names).size !== names.length) throw bad(`"${part}" names a lamp twice`);
    return phase(names as Lamp[], seconds);
  });
}
