// Re-arming signal listeners after pigpio's initialise, checked on this real process: after a
// re-arm, a real signal must still reach the listeners (SIGUSR2's default action would kill
// the test worker if Node's handler were not installed again).
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { rearmSignalListeners } from '../../src/backends/pigpio/signals.js';

afterEach(() => {
  process.removeAllListeners('SIGUSR2');
});

const nextTick = () => new Promise((r) => setTimeout(r, 20));

describe('rearmSignalListeners', () => {
  it('keeps listeners, their order and once-semantics', () => {
    const e = new EventEmitter();
    const calls: string[] = [];
    e.on('SIGTERM', () => calls.push('a'));
    e.once('SIGTERM', () => calls.push('once'));
    e.on('SIGTERM', () => calls.push('b'));
    e.on('data', () => calls.push('not a signal'));
    expect(rearmSignalListeners(e)).toEqual(['SIGTERM']);
    e.emit('SIGTERM');
    e.emit('SIGTERM');
    expect(calls).toEqual(['a', 'once', 'b', 'a', 'b']);
    expect(e.listenerCount('data')).toBe(1);
  });

  it('leaves a real signal delivered to the process listeners', async () => {
    const got: string[] = [];
    process.on('SIGUSR2', (sig) => got.push(`first:${sig}`));
    process.on('SIGUSR2', () => got.push('second'));
    expect(rearmSignalListeners()).toContain('SIGUSR2');
    process.kill(process.pid, 'SIGUSR2');
    await nextTick();
    expect(got).toEqual(['first:SIGUSR2', 'second']);
  });
});
