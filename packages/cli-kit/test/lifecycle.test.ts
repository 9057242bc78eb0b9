import { describe, expect, it } from 'vitest';
import { createLifecycle, createLogger } from '../src/index.js';

function lifecycleWithLog(options: { signals?: NodeJS.Signals[]; deadlineSeconds?: number } = {}) {
  const lines: string[] = [];
  const life = createLifecycle({ logger: createLogger({ write: (l) => lines.push(l) }), signals: options.signals ?? [], deadlineSeconds: options.deadlineSeconds });
  return { life, lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('lifecycle', () => {
  it('runs cleanup last-registered-first once, then resolves stopped; a second signal does not interrupt', async () => {
    const { life, lines, records } = lifecycleWithLog({ signals: ['SIGUSR2'] });
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let stoppedWith: number | undefined;
    void life.stopped.then((c) => (stoppedWith = c));
    life.onShutdown(() => void order.push('release pins'), 'pins');
    life.onShutdown(async () => {
      order.push('lamps off start');
      await gate;
      order.push('lamps off end');
    }, 'lamps');
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(life.signal.aborted).toBe(true);
    expect(life.stopping).toBe(true);
    process.emit('SIGUSR2', 'SIGUSR2');
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['lamps off start']);
    expect(stoppedWith).toBeUndefined();
    release();
    expect(await life.stopped).toBe(0);
    expect(order).toEqual(['lamps off start', 'lamps off end', 'release pins']);
    expect(lines.some((l) => l.includes('shutdown already in progress'))).toBe(false);
    expect(records().at(-1)).toMatchObject({ msg: 'stopped', steps: ['lamps', 'pins'], exitCode: 0 });
  });

  it('a second shutdown call while cleaning up returns the same result and says so', async () => {
    const { life, lines } = lifecycleWithLog();
    const first = life.shutdown('done', 3);
    const second = life.shutdown('again', 0);
    expect(await first).toBe(3);
    expect(await second).toBe(3);
    expect(lines.some((l) => l.includes('shutdown already in progress'))).toBe(true);
  });

  it('a failing cleanup step is logged and turns exit 0 into 1', async () => {
    const { life, lines } = lifecycleWithLog();
    life.onShutdown(() => {
      throw new Error('write failed');
    }, 'lamps');
    expect(await life.shutdown('test', 0)).toBe(1);
    expect(await life.stopped).toBe(1);
    expect(lines.join('')).toContain('cleanup step failed');
  });

  it('a cleanup that never finishes is abandoned at the deadline, with exit 1', async () => {
    const { life, records } = lifecycleWithLog({ deadlineSeconds: 0.05 });
    life.onShutdown(() => new Promise<void>(() => undefined), 'wedged');
    expect(await life.shutdown('test', 0)).toBe(1);
    expect(records().some((r) => r.msg === 'cleanup did not finish in time; stopping anyway')).toBe(true);
  });
});
