// Light that shines on a simulated LDR: pure functions of elapsed seconds, plus one source a
// test or an operator can change at runtime.

export interface LightSource {
  /** Illuminance in lux `elapsed` seconds after the simulation started. */
  luxAt(elapsed: number): number;
  /** Human-readable description for logs. */
  readonly description: string;
}

export function constantLight(lux: number): LightSource {
  return { luxAt: () => lux, description: `${lux} lux` };
}

/**
 * A day/night cycle: night (`minLux`) at elapsed 0, noon (`maxLux`) at half the period.
 * The curve is a raised cosine in log(lux), because daylight spans decades.
 */
export function dayNightLight(periodSeconds: number, minLux = 0.5, maxLux = 10_000): LightSource {
  const lo = Math.log(minLux);
  const hi = Math.log(maxLux);
  return {
    luxAt: (elapsed) => Math.exp(lo + ((hi - lo) * (1 - Math.cos((2 * Math.PI * elapsed) / periodSeconds))) / 2),
    description: `day/night cycle every ${periodSeconds} s, ${minLux}..${maxLux} lux`,
  };
}

/** Step through `levels`, each for `dwellSeconds`, and repeat. */
export function stepLight(levels: readonly number[], dwellSeconds: number): LightSource {
  if (levels.length === 0) throw new Error('stepLight needs at least one level');
  return {
    luxAt: (elapsed) => levels[Math.floor(Math.max(0, elapsed) / dwellSeconds) % levels.length]!,
    description: `steps ${levels.join(', ')} lux every ${dwellSeconds} s`,
  };
}

/** A source whose value can be overridden at runtime; listeners hear about every change. */
export class SettableLight implements LightSource {
  private override: number | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private base: LightSource) {}

  get description(): string {
    return this.override === undefined ? this.base.description : `${this.override} lux (set at runtime)`;
  }

  luxAt(elapsed: number): number {
    return this.override ?? this.base.luxAt(elapsed);
  }

  /** Hold a fixed lux from now on. */
  set(lux: number): void {
    if (!(lux >= 0) || !Number.isFinite(lux)) throw new RangeError(`lux must be a finite number >= 0, got ${lux}`);
    this.override = lux;
    for (const l of this.listeners) l();
  }

  /** Replace the underlying schedule and drop any override. */
  follow(base: LightSource): void {
    this.base = base;
    this.override = undefined;
    for (const l of this.listeners) l();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
