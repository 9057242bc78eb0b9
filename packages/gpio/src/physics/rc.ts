// RC-timing physics of an LDR + capacitor on a GPIO pin (docs/hardware.md#rc-physics). Pure functions:
// the mock uses them to simulate the circuit and the light sensor inverts them to estimate lux.

export interface RcCalibration {
  /** LDR resistance at 10 lux, ohms (GL5528: 8-20 kΩ). */
  r10: number;
  /** LDR slope: R(lux) = r10 · (lux/10)^-gamma. */
  gamma: number;
  /** Capacitor, farads. */
  capacitance: number;
  /** Supply voltage feeding the LDR. */
  vcc: number;
  /** Input HIGH threshold of the GPIO, volts. */
  vth: number;
  /** A pull-down to ground on the pin (internal ≈ 50 kΩ), or undefined for none. */
  pullDownOhms?: number | undefined;
  /** Resistance of the LDR in darkness; the model never exceeds it. */
  darkOhms: number;
}

export const DEFAULT_CALIBRATION: Readonly<RcCalibration> = Object.freeze({
  r10: 15_000,
  gamma: 0.7,
  capacitance: 1e-6,
  vcc: 3.3,
  vth: 1.6,
  pullDownOhms: undefined,
  darkOhms: 1_000_000,
});

/** LDR resistance at `lux` (clamped at the dark resistance). */
export function ldrResistance(lux: number, c: RcCalibration): number {
  if (!(lux > 0)) return c.darkOhms;
  return Math.min(c.r10 * (lux / 10) ** -c.gamma, c.darkOhms);
}

/** Thevenin equivalent seen by the capacitor while the pin is an input. */
function thevenin(r: number, c: RcCalibration): { vInf: number; rEq: number } {
  if (c.pullDownOhms === undefined) return { vInf: c.vcc, rEq: r };
  const rpd = c.pullDownOhms;
  return { vInf: (c.vcc * rpd) / (rpd + r), rEq: (r * rpd) / (r + rpd) };
}

/** Seconds for the capacitor to charge from 0 V to vth through resistance `r`; Infinity if it never does. */
export function chargeTimeForResistance(r: number, c: RcCalibration): number {
  const { vInf, rEq } = thevenin(r, c);
  if (vInf <= c.vth) return Infinity;
  return rEq * c.capacitance * Math.log(vInf / (vInf - c.vth));
}

/** Seconds from switching to input until the pin reads HIGH, at `lux`. */
export function chargeTime(lux: number, c: RcCalibration): number {
  return chargeTimeForResistance(ldrResistance(lux, c), c);
}

/** The LDR resistance that gives charge time `t` (inverse of chargeTimeForResistance). */
export function resistanceForChargeTime(t: number, c: RcCalibration): number {
  if (!(t > 0)) return 0;
  if (c.pullDownOhms === undefined) return t / (c.capacitance * Math.log(c.vcc / (c.vcc - c.vth)));
  // With a pull-down there is no closed form; t(R) is increasing, so bisect in log space.
  const rMax = c.pullDownOhms * (c.vcc / c.vth - 1); // beyond this V∞ <= vth: never charges
  let lo = Math.log(1e-3);
  let hi = Math.log(rMax);
  if (t >= chargeTimeForResistance(Math.exp(hi) * (1 - 1e-12), c)) return rMax;
  for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (chargeTimeForResistance(Math.exp(mid), c) < t) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
}

/** Illuminance estimate from a measured charge time. 0 when the reading is at or beyond dark. */
export function luxFromChargeTime(t: number, c: RcCalibration): number {
  if (!Number.isFinite(t)) return 0;
  const r = resistanceForChargeTime(t, c);
  if (r >= c.darkOhms) return 0;
  if (r <= 0) return Infinity;
  return 10 * (r / c.r10) ** (-1 / c.gamma);
}

/** gpiozero's LightSensor.value: 1 - min(1, t / limit). */
export function lightLevel(chargeSeconds: number, chargeTimeLimit: number): number {
  if (!Number.isFinite(chargeSeconds)) return 0;
  return 1 - Math.min(1, chargeSeconds / chargeTimeLimit);
}
