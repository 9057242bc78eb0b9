import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/index.js';

describe('logger', () => {
  it('writes one JSON object per line, with base fields, filtered by level', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', base: { app: 'x' }, write: (l) => lines.push(l), now: () => new Date(0) });
    log.debug('hidden');
    log.info('hello', { n: 1, bad: NaN, err: new Error('boom') });
    log.child({ node: 'pi1' }).warn('careful', { level: 0.5, msg: 'field' });
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toEqual({ time: '1970-01-01T00:00:00.000Z', level: 'info', msg: 'hello', app: 'x', n: 1, bad: 'NaN', err: { name: 'Error', message: 'boom' } });
    expect(JSON.parse(lines[1]!)).toMatchObject({ level: 'warn', msg: 'careful', node: 'pi1', app: 'x' });
  });
});
