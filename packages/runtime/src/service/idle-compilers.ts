// A gpio-fleet service is idle by design: a reading a second, a scrape every 15 s. V8's
// optimising compilers (TurboFan, and Maglev from Node 22) still compile whatever a burst of
// scrapes made hot, and what that leaves resident stays: the optimised code, the compilers'
// zone memory and the pages of the node binary holding the compilers themselves. On the
// measuring machine that was about 7 MB of the light-sensor's RSS on Node 20 and 4 MB on
// Node 24, with no difference in its steady CPU (bench/README.md, "Reading the results").
// Ignition and Sparkplug, which stay, run a reading and a scrape in well under a millisecond;
// the price is under sustained load: at 500 scrapes a second the process used twice the CPU
// (20 % of a core instead of 10 %), which at Prometheus's pace is microseconds a second. An
// operator who scrapes much faster than that keeps the compilers by asking for them.
import { setFlagsFromString } from 'node:v8';

/** The V8 flags a service runs with; both exist on every Node the executables embed (20 and 24). */
export const IDLE_V8_FLAGS = ['--no-turbofan', '--no-maglev'] as const;

/** The flags that keep the optimising compilers on, on the node command line or in NODE_OPTIONS. */
const KEEP_FLAGS = new Set(['--turbofan', '--maglev', '--opt']);

/**
 * Whether the operator asked for an optimising compiler: `--turbofan`, `--maglev` or `--opt`
 * among the node's own arguments or in NODE_OPTIONS (which the single executables read too).
 */
export function optimisersRequested(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((a) => KEEP_FLAGS.has(a));
}

/**
 * Turn the optimising compilers off for the rest of the process's life, unless the operator
 * asked for them (optimisersRequested). Call it first thing: V8 reads these flags whenever it
 * decides to optimise a function, so nothing compiled before the call is undone, and nothing
 * is optimised after it. Returns whether it turned them off.
 */
export function withoutOptimisingCompilers(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS): boolean {
  if (optimisersRequested(execArgv, nodeOptions)) return false;
  for (const flag of IDLE_V8_FLAGS) setFlagsFromString(flag);
  return true;
}
