// Stopping safely matters more than stopping fast: on SIGTERM/SIGINT the app switches its
// outputs off and releases its pins before it ends. A second signal cannot cut that short,
// and a deadline keeps a wedged cleanup from hanging a pod forever.
//
// The lifecycle never exits the process itself: `stopped` resolves with the exit code once
// cleanup has run (or the deadline passed), and the caller returns it from main.
import type { Logger } from '../logging/logger.js';

export type Cleanup = () => void | Promise<void>;

export interface Lifecycle {
  /** Aborted when shutdown starts; pass it to loops and waits. */
  readonly signal: AbortSignal;
  readonly stopping: boolean;
  /** Resolves with the exit code once shutdown has finished. */
  readonly stopped: Promise<number>;
  /** Register cleanup; hooks run once, last registered first. */
  onShutdown(hook: Cleanup, name: string): void;
  /** Run the cleanup; resolves with the final exit code. Safe to call more than once. */
  shutdown(reason: string, code: number): Promise<number>;
  /** Remove the signal handlers without shutting down (tests). */
  dispose(): void;
}

export interface LifecycleOptions {
  logger: Logger;
  /** Give up on a cleanup that has not finished after this long (default 5 s). */
  deadlineSeconds?: number;
  signals?: readonly NodeJS.Signals[];
}

export function createLifecycle(options: LifecycleOptions): Lifecycle {
  const { logger } = options;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const deadlineSeconds = options.deadlineSeconds ?? 5;
  const controller = new AbortController();
  const hooks: { hook: Cleanup; name: string }[] = [];
  let running: Promise<number> | undefined;
  let resolveStopped!: (code: number) => void;
  const stopped = new Promise<number>((resolve) => (resolveStopped = resolve));

  const onSignal = (sig: NodeJS.Signals): void => {
    void shutdown(`received ${sig}`, 0);
  };
  // Once cleanup starts, later signals are swallowed (for good: the process is ending) so
  // they cannot kill it half-way.
  const swallow = (): void => undefined;
  const removeHandlers = (): void => {
    for (const s of signals) process.off(s, onSignal);
  };

  const runHooks = async (code: number): Promise<number> => {
    let failed = false;
    const done: string[] = [];
    for (const { hook, name } of [...hooks].reverse()) {
      try {
        await hook();
        done.push(name);
      } catch (err) {
        failed = true;
        logger.error('cleanup step failed', { step: name, error: err });
      }
    }
    const exitCode = failed && code === 0 ? 1 : code;
    logger.info('stopped', { steps: done, exitCode });
    return exitCode;
  };

  const shutdown = (reason: string, code: number): Promise<number> => {
    if (running) {
      logger.warn('shutdown already in progress; cleanup continues', { reason });
      return running;
    }
    logger.info('shutting down', { reason });
    for (const s of signals) process.on(s, swallow);
    removeHandlers();
    controller.abort(new Error(`shutdown: ${reason}`));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        logger.error('cleanup did not finish in time; stopping anyway', { deadlineSeconds });
        resolve(code === 0 ? 1 : code);
      }, deadlineSeconds * 1000);
    });
    running = Promise.race([runHooks(code), deadline]).then((exitCode) => {
      clearTimeout(timer);
      resolveStopped(exitCode);
      return exitCode;
    });
    return running;
  };

  for (const s of signals) process.on(s, onSignal);

  return {
    signal: controller.signal,
    get stopping() {
      return running !== undefined;
    },
    stopped,
    onShutdown(hook, name) {
      hooks.push({ hook, name });
    },
    shutdown,
    dispose: removeHandlers,
  };
}
