import { describe, expect, it } from 'vitest';
import { createLogger, resolveLogFormat, useColour } from '../src/index.js';

// A local time: the pretty clock prints local time, whatever the machine's zone.
const at = new Date(2024, 0, 2, 3, 4, 5, 67);

describe('--log-format', () => {
  it('auto is pretty on a terminal and JSON on anything else; json and pretty are what they say', () => {
    expect(resolveLogFormat('auto', { isTTY: true }, {})).toEqual({ format: 'pretty', colour: true });
    expect(resolveLogFormat('auto', { isTTY: false }, {})).toEqual({ format: 'json', colour: false });
    expect(resolveLogFormat('auto', {}, {})).toEqual({ format: 'json', colour: false });
    expect(resolveLogFormat('json', { isTTY: true }, {})).toEqual({ format: 'json', colour: false });
    // Pretty into a pipe (npm run demo) has no colour codes for the reader to strip.
    expect(resolveLogFormat('pretty', { isTTY: false }, {})).toEqual({ format: 'pretty', colour: false });
  });

  it('colours only a terminal, and never with NO_COLOR or TERM=dumb', () => {
    expect(useColour({ isTTY: true }, {})).toBe(true);
    expect(useColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColour({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(useColour({ isTTY: false }, {})).toBe(false);
    expect(resolveLogFormat('auto', { isTTY: true }, { NO_COLOR: '1' })).toEqual({ format: 'pretty', colour: false });
  });
});

describe('pretty lines', () => {
  const lines: string[] = [];
  const log = createLogger({ format: 'pretty', base: { app: 'light-sensor', node: 'pi-1' }, write: (l) => lines.push(l), now: () => at });

  it('read `HH:MM:SS.mmm level msg key=value ...`, short numbers, without the fields every line carries', () => {
    lines.length = 0;
    log.info('reading', { chargeSeconds: 0.0019834567, lightLevel: 0.80171, lux: 100.23, count: 12 });
    log.warn('reading failed', { result: 'timeout', error: new Error('no edge'), bad: NaN, note: 'two words', gone: undefined });
    log.child({ lamp: 'red' }).error('write failed', { level: 'reserved' });
    log.info('phase', { lamps: ['red', 'amber'], steps: ['stop readings', 'release GPIO'], pins: { red: 'BCM9' } });
    expect(lines).toEqual([
      '03:04:05.067 info  reading chargeSeconds=0.001983 lightLevel=0.8017 lux=100.2 count=12\n',
      '03:04:05.067 warn  reading failed result=timeout error="no edge" bad=NaN note="two words"\n',
      '03:04:05.067 error write failed lamp=red\n',
      '03:04:05.067 info  phase lamps=red,amber steps="stop readings,release GPIO" pins={"red":"BCM9"}\n',
    ]);
  });

  it('colour the level and dim the rest only when asked', () => {
    const out: string[] = [];
    createLogger({ format: 'pretty', colour: true, write: (l) => out.push(l), now: () => at }).warn('careful', { n: 1 });
    expect(out[0]).toBe('\x1b[2m03:04:05.067\x1b[0m \x1b[33mwarn \x1b[0m careful \x1b[2mn=\x1b[0m1\n');
    lines.length = 0;
    log.warn('careful', { n: 1 });
    expect(lines[0]).not.toContain('\x1b');
  });

  it('JSON lines are unchanged by the option: the default stays JSON with every field', () => {
    const out: string[] = [];
    createLogger({ base: { app: 'x' }, write: (l) => out.push(l), now: () => new Date(0) }).child({ lamp: 'red' }).info('hi', { n: 1 });
    expect(JSON.parse(out[0]!)).toEqual({ time: '1970-01-01T00:00:00.000Z', level: 'info', msg: 'hi', app: 'x', lamp: 'red', n: 1 });
  });
});
