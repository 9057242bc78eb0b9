// Stopping safely matters more than stopping fast: on SIGTERM/SIGINT the app switches its
// outputs off and releases its pins before exiting. A second signal cannot cut that short,
// and a deadline keeps a wedged cleanup from hanging the pod forever.
import type { Logger } from '../logging/logger.js';

export type Cleanup = () => void | Promise<void>;

export interface Lifecycle {
  /** Aborted when shutdown starts; pass it to loops and waits. */
  readonly signal: AbortSignal;
  readonly stopping: boolean;
  /** Register cleanup; hooks run once, last registered first. */
  onShutdown(hook: Cleanup, name: string): void;
  /** Run the cleanup and exit with `code`. Safe to call more than once. */
  shutdown(reason: string, code: number): Promise<void>;
  /** Remove the signal handlers (tests). */
  dispose(): void;
}

export interface LifecycleOptions {
  logger: Logger;
  /** Force exit after this long if cleanup hangs. */
  deadlineSeconds?: number;
  exit?: (code: number) => void;
  signals?: readonly NodeJS.Signals[];
}

export function createLifecycle(options: LifecycleOptions): Lifecycle {
  const { logger } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const controller = new AbortController();
  const hooks: { hook: Cleanup; name: string }[] = [];
  let running: Promise<void> | undefined;

  const shutdown = (reason: string, code: number): Promise<void> => {
    if (running) {
      logger.warn('shutdown already in progress; cleanup continues', { reason });
      return running;
    }
    logger.info('shutting down', { reason });
    controller.abort(new Error(`shutdown: ${reason}`));
    const deadline = setTimeout(() => {
      logger.error('cleanup did not finish in time; exiting anyway', { deadlineSeconds: options.deadlineSeconds ?? 5 });
      exit(code === 0 ? 1 : code);
    }, (options.deadlineSeconds ?? 5) * 1000);
    deadline.unref();
    running = (async () => {
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
      clearTimeout(deadline);
      const exitCode = failed && code === 0 ? 1 : code;
      logger.info('stopped', { steps: done, exitCode });
      dispose();
      exit(exitCode);
    })();
    return running;
  };

  const onSignal = (sig: NodeJS.Signals): void => {
    void shutdown(`received ${sig}`, 0);
  };
  for (const s of signals) process.on(s, onSignal);
  const dispose = (): void => {
    for (const s of signals) process.off(s, onSignal);
    // Keep swallowing signals so a late one cannot kill a half-finished cleanup.
    for (const s of signals) process.on(s, () => undefined);
  };

  return {
    signal: controller.signal,
    get stopping() {
      return running !== undefined;
    },
    onShutdown(hook, name) {
      hooks.push({ hook, name });
    },
    shutdown,
    dispose: () => {
      for (const s of signals) process.off(s, onSignal);
    },
  };
}
