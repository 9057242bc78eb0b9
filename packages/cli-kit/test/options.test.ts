import { describe, expect, it } from 'vitest';
import { formatDuration, opt, parseDuration, parseOptions, renderHelp, UsageError } from '../src/index.js';

const spec = {
  interval: opt.duration({ flag: 'interval', env: 'APP_INTERVAL', default: '1s', positive: true, description: 'Interval.' }),
  count: opt.number({ flag: 'count', env: 'APP_COUNT', default: '5', integer: true, min: 1, description: 'Count.' }),
  mode: opt.oneOf({ flag: 'mode', env: 'APP_MODE', default: 'fast', values: ['fast', 'slow'] as const, description: 'Mode.' }),
  name: opt.string({ flag: 'name', description: 'Name.' }),
  once: opt.switch({ flag: 'once', env: 'APP_ONCE', description: 'Once.' }),
};

function usage(argv: string[], env: Record<string, string> = {}): string {
  try {
    parseOptions(spec, argv, env);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('durations', () => {
  it.each([
    ['100ms', 0.1],
    ['1.5s', 1.5],
    ['2m', 120],
    ['1h', 3600],
    ['250us', 250e-6],
    ['3', 3],
    ['.5s', 0.5],
  ])('%s is %s s', (text, s) => expect(parseDuration(text)).toBeCloseTo(s, 12));
  it.each(['-1', '1x', 'ms', '', '1 s s', 'NaN'])('%s is rejected', (t) => expect(parseDuration(t)).toBeUndefined());
  it('formats for humans', () => {
    expect(formatDuration(0.1)).toBe('100ms');
    expect(formatDuration(90)).toBe('1.5m');
  });
});

describe('parseOptions', () => {
  it('uses defaults, then env, then flags', () => {
    expect(parseOptions(spec, [], {}).values).toMatchObject({ interval: 1, count: 5, mode: 'fast', once: false, name: undefined });
    const fromEnv = parseOptions(spec, [], { APP_INTERVAL: '250ms', APP_MODE: 'SLOW', APP_ONCE: 'true' });
    expect(fromEnv.values).toMatchObject({ interval: 0.25, mode: 'slow', once: true });
    expect(fromEnv.sources.interval).toBe('env');
    const fromFlags = parseOptions(spec, ['--interval', '2s', '--count=7', '--once'], { APP_INTERVAL: '250ms' });
    expect(fromFlags.values).toMatchObject({ interval: 2, count: 7, once: true });
    expect(fromFlags.sources.interval).toBe('flag');
  });

  it('treats an empty env var as unset (Kubernetes often renders empty values)', () => {
    expect(parseOptions(spec, [], { APP_COUNT: '' }).values.count).toBe(5);
  });

  it('recognises --help and --version', () => {
    expect(parseOptions(spec, ['--help'], {}).help).toBe(true);
    expect(parseOptions(spec, ['-h'], {}).help).toBe(true);
    expect(parseOptions(spec, ['--version'], {}).version).toBe(true);
  });

  it.each([
    [['--interval', '-1'], {}, /--interval value "-1": not a duration; accepted: a positive duration/],
    [['--interval', '0s'], {}, /--interval value "0s": must be greater than zero/],
    [['--interval=abc'], {}, /"abc"/],
    [['--count', '1.5'], {}, /--count value "1.5": not an integer; accepted: an integer >= 1/],
    [['--count', '0'], {}, /--count value "0": out of range; accepted: an integer >= 1/],
    [['--mode', 'medium'], {}, /--mode value "medium".*one of fast \| slow/],
    [[], { APP_COUNT: 'many' }, /env APP_COUNT value "many": not a number/],
    [[], { APP_ONCE: 'maybe' }, /env APP_ONCE value "maybe": not a boolean/],
    [['--intervl', '1s'], {}, /unknown flag "--intervl"; did you mean --interval\?/],
    [['--zzz'], {}, /^unknown flag "--zzz"$/],
    [['--interval'], {}, /--interval needs a value/],
    [['stray'], {}, /unexpected argument "stray"/],
  ])('%j %j is a usage error', (argv, env, message) => {
    expect(usage(argv as string[], env as Record<string, string>)).toMatch(message);
  });

  it('quotes a bad value through the option\'s redact, so a secret in it stays out of the message', () => {
    const secretive = {
      url: opt.custom({
        flag: 'url',
        env: 'APP_URL',
        placeholder: '<url>',
        accepted: 'a URL',
        description: 'URL.',
        parse: () => {
          throw new Error('no');
        },
        redact: (raw) => raw.replace(/(\/\/[^:]*):[^@]*@/, '$1:***@'),
      }),
    };
    const m = (argv: string[], env: Record<string, string> = {}) => {
      try {
        parseOptions(secretive, argv, env);
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error('expected a UsageError');
    };
    expect(m(['--url', 'x://u:hunter2@h'])).toBe('invalid --url value "x://u:***@h": no; accepted: a URL');
    expect(m([], { APP_URL: 'x://u:hunter2@h' })).not.toContain('hunter2');
  });

  it('help lists every flag with its env var and default', () => {
    const help = renderHelp({ usage: 'app [options]', summary: 'An app.' }, spec);
    for (const o of Object.values(spec)) expect(help).toContain(`--${o.flag}`);
    expect(help).toContain('env APP_INTERVAL; default 1s');
    expect(help).toContain('--help');
    expect(help).toContain('--version');
  });
});
