// The simulated circuit for the mock backend: the original wiring (an LDR from 3.3 V to the
// pin, 1 µF from the pin to ground; docs/hardware.md), lit by the --mock-lux schedule, and
// the routes that change the simulated world while the app runs.
import { MockDriver, RC_FAULTS, RcPhotoresistorCircuit, realClock, SettableLight, type Pin, type RcFault } from '@gpio-fleet/gpio';
import type { Logger } from '@gpio-fleet/cli-kit';
import type { Simulation } from '@gpio-fleet/runtime';
import { parseMockLight } from './mock-light.js';

/** The simulated world as the mock routes and the status page report it. */
export interface MockWorld {
  lux: number;
  light: string;
  fault: RcFault;
}

export interface SimulationSettings {
  pin: Pin;
  light: SettableLight;
  fault: RcFault;
}

/** A bare number holds that lux; any other --mock-lux form replaces the schedule. */
const BARE_LUX = /^\d+(\.\d+)?(e-?\d+)?$/i;

export function simulateLightSensor(settings: SimulationSettings, logger: Logger): Simulation & { world: () => MockWorld } {
  const { light } = settings;
  const driver = new MockDriver(realClock);
  const circuit = driver.attach(
    settings.pin.id,
    new RcPhotoresistorCircuit({ light, origin: realClock.now(), fault: settings.fault, seed: Date.now() & 0xffff }),
  );
  light.onChange(() => circuit.lightChanged(realClock.now()));
  logger.info('mock light', { light: light.description, fault: settings.fault });
  const state = (): MockWorld => ({ lux: circuit.luxAt(realClock.now()), light: light.description, fault: circuit.fault });
  return {
    driver,
    world: state,
    routes: {
      'GET /mock/lux': state,
      'PUT /mock/lux': (body) => {
        const text = body.trim();
        if (BARE_LUX.test(text)) light.set(Number(text));
        else light.follow(parseMockLight(text));
        return state();
      },
      'PUT /mock/fault': (body) => {
        const fault = body.trim();
        if (!(RC_FAULTS as readonly string[]).includes(fault)) throw new Error(`unknown fault "${fault}"; accepted: ${RC_FAULTS.join(' | ')}`);
        circuit.setFault(fault as RcFault, realClock.now());
        return state();
      },
    },
  };
}
