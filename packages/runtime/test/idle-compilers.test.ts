// A service's process never optimises: what a burst of scrapes makes hot stays in the
// interpreter and baseline tiers (idle-compilers.ts). Vitest runs each test file in a process
// of its own, so the flags runService sets here reach no other file.
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { parseOptions } from '@gpio-fleet/cli-kit';
import { MockDriver, realClock } from '@gpio-fleet/gpio';
import { optimisersRequested, runService, serviceOptions } from '../src/index.js';

// V8's own test intrinsics, reached at run time (flags are read when code is compiled).
setFlagsFromString('--allow-natives-syntax');
// %-calls only parse in code compiled after the flag, so the source is compiled here.
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const intrinsic = (body: string) => new Function('f', body) as (f: unknown) => number;
const prepare = intrinsic('%PrepareFunctionForOptimization(f)');
const optimiseOnNextCall = intrinsic('%OptimizeFunctionOnNextCall(f)');
const optimisationStatus = intrinsic('return %GetOptimizationStatus(f)');
/** Bits of %GetOptimizationStatus (V8's OptimizationStatus): optimised code from TurboFan or Maglev. */
const OPTIMISED = (1 << 4) | (1 << 5);

/** Asks V8 to optimise a fresh function at once and says whether it did. */
function optimisedWhenAsked(): boolean {
  const hot = (x: number) => x * 2 + 1;
  prepare(hot);
  hot(1);
  hot(2);
  optimiseOnNextCall(hot);
  hot(3);
  return (optimisationStatus(hot) & OPTIMISED) !== 0;
}

describe('a service process', () => {
  it('runs without the optimising compilers once runService has started', async () => {
    // The check itself works: before the service, V8 optimises when asked.
    expect(optimisedWhenAsked()).toBe(true);
    const { values } = parseOptions(serviceOptions({ port: 0 }), ['--gpio', 'mock', '--host', '127.0.0.1', '--log-level', 'error'], {});
    const code = await runService({
      name: 'idle-test',
      version: '0',
      options: values,
      pins: {},
      simulate: () => ({ driver: new MockDriver(realClock) }),
      start: async (service) => {
        await service.stop('test done', 0);
      },
    });
    expect(code).toBe(0);
    expect(optimisedWhenAsked()).toBe(false);
  });
});

describe('optimisersRequested: an operator can keep the compilers', () => {
  it('on the node command line or in NODE_OPTIONS', () => {
    expect(optimisersRequested(['--turbofan'], undefined)).toBe(true);
    expect(optimisersRequested([], '--max-old-space-size=64 --maglev')).toBe(true);
    expect(optimisersRequested([], '  --opt ')).toBe(true);
  });
  it('not for other flags, nor for the flags that turn them off', () => {
    expect(optimisersRequested(['--enable-source-maps'], undefined)).toBe(false);
    expect(optimisersRequested([], '--no-turbofan --turbofan-filter=x')).toBe(false);
    expect(optimisersRequested([], '')).toBe(false);
  });
});
