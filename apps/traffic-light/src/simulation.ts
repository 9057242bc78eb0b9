// The simulated lamps for the mock backend, and the route that breaks one for fault drills:
// `PUT /mock/fault` with `write-failure:<lamp>` makes writes to that lamp's pin fail (as a
// broken GPIO would); `none` heals every pin.
import { LAMPS, LedCircuit, MockDriver, realClock, type Lamp, type Pin } from '@gpio-fleet/gpio';
import type { Simulation } from '@gpio-fleet/runtime';

export const MOCK_FAULT_FORM = 'none | write-failure:<red|amber|green>';

export function simulateTrafficLight(pins: Readonly<Record<Lamp, Pin>>): Simulation & { fault: () => string } {
  const driver = new MockDriver(realClock);
  for (const lamp of LAMPS) driver.attach(pins[lamp].id, new LedCircuit(lamp));
  let current = 'none';
  return {
    driver,
    fault: () => current,
    routes: {
      'PUT /mock/fault': (body) => {
        const fault = body.trim();
        const failing = /^write-failure:(red|amber|green)$/.exec(fault)?.[1];
        if (fault !== 'none' && !failing) throw new Error(`unknown fault "${fault}"; accepted: ${MOCK_FAULT_FORM}`);
        for (const lamp of LAMPS) driver.failWrites(pins[lamp].id, failing === lamp);
        current = fault;
        return { fault };
      },
    },
  };
}
