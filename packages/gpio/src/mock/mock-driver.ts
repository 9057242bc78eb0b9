// The mock backend: pins wired to simulated circuits, on any Clock. Edge events carry the
// exact simulated time as their tick even when the real clock delivers them late.
import type { Clock, Timer } from '../clock/clock.js';
import { NS_MODULUS, type TickSource } from '../clock/ticks.js';
import { ClosedError, HardwareError } from '../errors.js';
import { parsePin } from '../pins/parse.js';
import type { DriverLine, EdgeEvent, Level, LineConfig, LineDriver } from '../pin-factory/line-driver.js';
import { OpenCircuit, type Circuit } from './circuit.js';
import { DEFAULT_HISTORY_LIMIT, pushBounded } from './history.js';

export interface PinStateChange {
  t: number;
  config: LineConfig;
}

const toTick = (seconds: number): number => Math.round(seconds * 1e9) % NS_MODULUS;

class MockLine implements DriverLine {
  readonly history: PinStateChange[] = [];
  private config: LineConfig;
  private timer: Timer | undefined;
  private readonly listeners = new Set<(e: EdgeEvent) => void>();
  private readonly unsubscribeCircuit: () => void;
  private released = false;

  constructor(
    private readonly driver: MockDriver,
    readonly bcm: number,
    readonly circuit: Circuit,
    config: LineConfig,
  ) {
    this.config = config;
    this.apply(config);
    this.unsubscribeCircuit = circuit.onExternalChange(() => this.plan());
  }

  read(): Level {
    this.check();
    return this.circuit.levelAt(this.driver.clock.now());
  }

  write(level: Level): void {
    this.check();
    this.driver.maybeFail(this.bcm);
    this.config = { direction: 'output', level };
    this.apply(this.config);
  }

  reconfigure(config: LineConfig): number {
    this.check();
    if (config.direction === 'output') this.driver.maybeFail(this.bcm);
    this.config = config;
    return this.apply(config);
  }

  onEdge(listener: (event: EdgeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async release(): Promise<void> {
    if (this.released) return;
    // Releasing returns the line to a floating input, as the kernel does.
    this.apply({ direction: 'input', pull: 'none', edge: 'none' });
    this.released = true;
    this.timer?.cancel();
    this.unsubscribeCircuit();
    this.listeners.clear();
    this.driver.released(this);
  }

  private check(): void {
    if (this.released) throw new ClosedError(`mock BCM${this.bcm} has been released`);
  }

  private apply(config: LineConfig): number {
    const t = this.driver.clock.now();
    pushBounded(this.history, { t, config }, this.driver.historyLimit);
    this.circuit.drive(config, t);
    this.plan(t);
    return toTick(t);
  }

  /**
   * Schedule the next edge the circuit predicts after `from`, if this input watches for it.
   * Planning from the instant of the change (not a later "now") matters: if the process
   * stalls past a short charge time, the edge is still found and stamped when it happened,
   * as the kernel would, instead of being lost.
   */
  private plan(from = this.driver.clock.now()): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.released || this.config.direction !== 'input' || this.config.edge === 'none') return;
    const next = this.circuit.nextTransition(from);
    if (!next) return;
    const edge = next.level === 1 ? 'rising' : 'falling';
    const wanted = this.config.edge === 'both' || this.config.edge === edge;
    this.timer = this.driver.clock.setTimer(() => {
      this.timer = undefined;
      if (wanted) {
        const event: EdgeEvent = { edge, level: next.level, tick: toTick(next.at) };
        for (const l of [...this.listeners]) l(event);
      }
      // The circuit may change again (e.g. it discharges through a pull), so keep watching.
      if (this.circuit.nextTransition(next.at + 1e-12)) this.plan();
    }, next.at - this.driver.clock.now());
  }
}

export class MockDriver implements LineDriver {
  readonly name = 'mock' as const;
  readonly simulated = true;
  readonly ticks: TickSource;
  private readonly circuits = new Map<number, Circuit>();
  private readonly lines = new Map<number, MockLine>();
  private readonly live = new Set<number>();
  private readonly failing = new Set<number>();
  private closed = false;

  /** `historyLimit`: how many recent configuration changes each pin keeps. */
  constructor(
    readonly clock: Clock,
    readonly historyLimit = DEFAULT_HISTORY_LIMIT,
  ) {
    this.ticks = { unitSeconds: 1e-9, modulus: NS_MODULUS, now: () => toTick(clock.now()) };
  }

  /** Wire `circuit` to a pin (any accepted pin name). Returns the circuit for chaining. */
  attach<C extends Circuit>(pin: string, circuit: C): C {
    this.circuits.set(parsePin(pin).bcm, circuit);
    return circuit;
  }

  circuitOf(pin: string): Circuit | undefined {
    return this.circuits.get(parsePin(pin).bcm);
  }

  /** Every configuration a pin has had while claimed, with times. */
  history(pin: string): readonly PinStateChange[] {
    return this.lines.get(parsePin(pin).bcm)?.history ?? [];
  }

  /** Make writes to a pin fail, to exercise hardware-fault handling. */
  failWrites(pin: string, fail = true): void {
    const bcm = parsePin(pin).bcm;
    if (fail) this.failing.add(bcm);
    else this.failing.delete(bcm);
  }

  maybeFail(bcm: number): void {
    if (this.failing.has(bcm)) throw new HardwareError(`mock: write to BCM${bcm} failed (injected fault)`);
  }

  async claim(bcm: number, _consumer: string, config: LineConfig): Promise<DriverLine> {
    if (this.closed) throw new ClosedError('mock backend is closed');
    let circuit = this.circuits.get(bcm);
    if (!circuit) {
      circuit = new OpenCircuit();
      this.circuits.set(bcm, circuit);
    }
    const line = new MockLine(this, bcm, circuit, config);
    this.lines.set(bcm, line);
    this.live.add(bcm);
    return line;
  }

  /** Called by a line on release: history stays readable, the line is no longer held. */
  released(line: MockLine): void {
    this.live.delete(line.bcm);
  }

  /** Whether the pin is claimed right now (tests check that apps release pins on exit). */
  isHeld(pin: string): boolean {
    return this.live.has(parsePin(pin).bcm);
  }

  /** The current drive of a held pin, or undefined. */
  configOf(pin: string): LineConfig | undefined {
    const h = this.history(pin);
    return this.isHeld(pin) ? h[h.length - 1]?.config : undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
