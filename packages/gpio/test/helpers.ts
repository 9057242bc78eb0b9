// A mock rig on a virtual clock: the fixture most device tests start from.
import {
  constantLight,
  MockDriver,
  PinFactory,
  RcPhotoresistorCircuit,
  SettableLight,
  VirtualClock,
  type RcCircuitOptions,
} from '../src/index.js';

export function rig(start = 1000) {
  const clock = new VirtualClock(start);
  const driver = new MockDriver(clock);
  const factory = new PinFactory(driver);
  return { clock, driver, factory };
}

/** An RC circuit on BOARD7 with no jitter unless asked, under a settable light. */
export function rcRig(lux: number, options: Partial<RcCircuitOptions> = {}) {
  const r = rig();
  const light = new SettableLight(constantLight(lux));
  const circuit = r.driver.attach(
    'BOARD7',
    new RcPhotoresistorCircuit({ light, origin: r.clock.now(), timestampJitter: 0, thresholdNoise: 0, ...options }),
  );
  light.onChange(() => circuit.lightChanged(r.clock.now()));
  return { ...r, light, circuit };
}
