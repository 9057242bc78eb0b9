// An LDR from Vcc to the pin and a capacitor from the pin to ground (docs/hardware.md#wiring, #rc-physics),
// simulated as a first-order RC network. The capacitor voltage evolves exponentially
// toward the Thevenin voltage of whatever drives the node, so discharge, residual charge,
// pull resistors and faults all fall out of one model instead of special cases.
import type { Level, LineConfig } from '../pin-factory/line-driver.js';
import { DEFAULT_CALIBRATION, ldrResistance, type RcCalibration } from '../physics/rc.js';
import type { Circuit, Transition } from './circuit.js';
import type { LightSource } from './light.js';
import { gaussian, seededRandom, type Random } from './random.js';

export type RcFault = 'none' | 'disconnected' | 'stuck-low' | 'stuck-high';
export const RC_FAULTS: readonly RcFault[] = ['none', 'disconnected', 'stuck-low', 'stuck-high'];

export interface RcCircuitOptions extends Partial<RcCalibration> {
  light: LightSource;
  /** Clock time at which the light schedule starts (elapsed 0). */
  origin?: number;
  /**
   * Resistance the capacitor discharges through while the pin drives LOW: the pin's output
   * impedance plus any series resistor. 0 (default) models an ideal driver that empties
   * the capacitor at once; a real pin is ~20-50 Ω, which makes bright readings a few % short.
   */
  dischargeOhms?: number;
  /** Internal pull resistor used when the pin enables pull-up/down, ohms (BCM283x ≈ 50 kΩ). */
  internalPullOhms?: number;
  /** Standard deviation of the edge timestamp jitter, seconds (interrupt latency). */
  timestampJitter?: number;
  /** Standard deviation of the input threshold noise, volts. */
  thresholdNoise?: number;
  fault?: RcFault;
  /** Seed for jitter and noise. */
  seed?: number;
}

interface Source {
  v: number;
  r: number;
}

export class RcPhotoresistorCircuit implements Circuit {
  readonly calibration: RcCalibration;
  fault: RcFault;
  private readonly origin: number;
  private readonly dischargeOhms: number;
  private readonly internalPullOhms: number;
  private readonly timestampJitter: number;
  private readonly thresholdNoise: number;
  private readonly random: Random;
  private readonly listeners = new Set<() => void>();
  private config: LineConfig = { direction: 'input', pull: 'none', edge: 'none' };
  /** Capacitor voltage `v` at clock time `t`, and the exponential it currently follows. */
  private v = 0;
  private t = 0;
  private target = 0;
  private tau = Infinity;

  constructor(private readonly options: RcCircuitOptions) {
    this.calibration = { ...DEFAULT_CALIBRATION, ...stripUndefined(options) };
    this.origin = options.origin ?? 0;
    this.dischargeOhms = options.dischargeOhms ?? 0;
    this.internalPullOhms = options.internalPullOhms ?? 50_000;
    this.timestampJitter = options.timestampJitter ?? 1e-6;
    this.thresholdNoise = options.thresholdNoise ?? 0.005;
    this.fault = options.fault ?? 'none';
    this.random = seededRandom(options.seed ?? 1);
    this.t = this.origin;
  }

  get light(): LightSource {
    return this.options.light;
  }

  /** Capacitor voltage at `t` (for tests and diagnostics). */
  voltageAt(t: number): number {
    if (this.tau === Infinity) return this.v;
    if (this.tau === 0) return this.target;
    return this.target + (this.v - this.target) * Math.exp(-(t - this.t) / this.tau);
  }

  luxAt(t: number): number {
    return this.options.light.luxAt(t - this.origin);
  }

  /** Change the fault mode at runtime (e.g. disconnect the LDR). */
  setFault(fault: RcFault, t: number): void {
    this.settle(t);
    this.fault = fault;
    this.replan(t);
    this.notify();
  }

  /** Re-evaluate after the light changed at `t`. */
  lightChanged(t: number): void {
    this.settle(t);
    this.replan(t);
    this.notify();
  }

  drive(config: LineConfig, t: number): void {
    this.settle(t);
    this.config = config;
    this.replan(t);
  }

  levelAt(t: number): Level {
    if (this.fault === 'stuck-low') return 0;
    if (this.fault === 'stuck-high') return 1;
    if (this.config.direction === 'output') return this.config.level;
    return this.voltageAt(t) >= this.calibration.vth ? 1 : 0;
  }

  nextTransition(t: number): Transition | undefined {
    if (this.fault === 'stuck-low' || this.fault === 'stuck-high') return undefined;
    if (this.config.direction === 'output' || this.tau === Infinity || this.tau === 0) return undefined;
    const vth = this.calibration.vth + gaussian(this.random, this.thresholdNoise);
    const v = this.voltageAt(t);
    const rising = v < vth;
    // Crossing happens only if the exponential's asymptote lies beyond the threshold.
    if (rising ? this.target <= vth : this.target >= vth) return undefined;
    const dt = this.tau * Math.log((this.target - v) / (this.target - vth));
    const jitter = Math.abs(gaussian(this.random, this.timestampJitter));
    return { at: t + Math.max(0, dt) + jitter, level: rising ? 1 : 0 };
  }

  onExternalChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }

  /** Fold the elapsed exponential into (v, t). */
  private settle(t: number): void {
    this.v = this.voltageAt(t);
    this.t = t;
  }

  /** Thevenin equivalent of everything connected to the capacitor node right now. */
  private replan(t: number): void {
    const c = this.calibration;
    const sources: Source[] = [];
    if (this.fault !== 'disconnected') sources.push({ v: c.vcc, r: ldrResistance(this.luxAt(t), c) });
    if (c.pullDownOhms !== undefined) sources.push({ v: 0, r: c.pullDownOhms });
    if (this.config.direction === 'output') {
      sources.push({ v: this.config.level === 1 ? c.vcc : 0, r: this.dischargeOhms });
    } else if (this.config.pull !== 'none') {
      sources.push({ v: this.config.pull === 'up' ? c.vcc : 0, r: this.internalPullOhms });
    }
    const ideal = sources.find((s) => s.r === 0);
    if (ideal) {
      this.target = ideal.v;
      this.tau = 0;
      this.v = ideal.v;
      return;
    }
    const g = sources.reduce((sum, s) => sum + 1 / s.r, 0);
    if (g === 0) {
      this.target = this.v;
      this.tau = Infinity; // floating node: the capacitor holds its charge
      return;
    }
    this.target = sources.reduce((sum, s) => sum + s.v / s.r, 0) / g;
    this.tau = c.capacitance / g;
  }
}

function stripUndefined(o: Partial<RcCalibration>): Partial<RcCalibration> {
  const out: Partial<RcCalibration> = {};
  for (const k of ['r10', 'gamma', 'capacitance', 'vcc', 'vth', 'pullDownOhms', 'darkOhms'] as const) {
    if (o[k] !== undefined) (out as Record<string, number>)[k] = o[k];
  }
  return out;
}
