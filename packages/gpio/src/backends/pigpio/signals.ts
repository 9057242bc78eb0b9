// pigpio's initialise installs C signal handlers for (nearly) every signal, replacing the ones
// libuv installed for Node's process.on('SIGTERM', ...) listeners; the app's shutdown code
// would then never run (pigpio terminates and exits instead). Listeners added after
// initialise are fine, because libuv installs its handler again when the first listener for a
// signal appears. So after initialise, take down and put back the listeners that already exist.
import { constants } from 'node:os';

type Listener = (...args: unknown[]) => void;

/** The part of `process` this needs (an EventEmitter), so tests can pass their own. */
export interface SignalEmitter {
  eventNames(): (string | symbol)[];
  /** Node types these as Function[]; each is re-registered as it is. */
  rawListeners(event: string): unknown[];
  removeAllListeners(event: string): unknown;
  on(event: string, listener: Listener): unknown;
}

const isSignal = (name: string | symbol): name is string => typeof name === 'string' && name in constants.signals;

/**
 * Re-register every existing signal listener, in order (once-listeners stay once).
 * Returns the signals it re-armed. There is a microsecond window with the default action
 * in between; this runs once, at backend start-up.
 */
export function rearmSignalListeners(target: SignalEmitter = process): string[] {
  const rearmed: string[] = [];
  for (const sig of target.eventNames().filter(isSignal)) {
    const listeners = target.rawListeners(sig) as Listener[];
    if (listeners.length === 0) continue;
    target.removeAllListeners(sig);
    for (const l of listeners) target.on(sig, l);
    rearmed.push(sig);
  }
  return rearmed;
}
