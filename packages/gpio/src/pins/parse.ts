// Pin names as people write them (gpiozero's conventions): one parser, one canonical form.
import { InvalidValueError } from '../errors.js';
import { byBcm, byBoard, byWpi, type GpioHeaderPin } from './header.js';

export type PinScheme = 'BOARD' | 'BCM' | 'GPIO' | 'WPI' | 'J8' | 'bare';

/** A resolved header GPIO. `id` is the canonical printed form (BCM numbering, as gpiozero prints). */
export interface Pin extends GpioHeaderPin {
  readonly id: string;
  /** How the user wrote it, kept for messages. */
  readonly input: string;
}

export const PIN_FORMS =
  'BOARD<1-40> or J8:<1-40> (physical), BCM<n> or GPIO<n> (Broadcom, 0-27), WPI<n> (wiringPi), or a bare number (BCM)';

const PATTERN = /^(?:(BOARD|BCM|GPIO|WPI)|(J8):)?(\d{1,3})$/i;

function invalid(input: string, why: string): InvalidValueError {
  return new InvalidValueError(`invalid pin "${input}": ${why}. Accepted forms: ${PIN_FORMS}`, input, PIN_FORMS);
}

const toPin = (h: GpioHeaderPin, input: string): Pin => ({ ...h, id: `BCM${h.bcm}`, input });

/**
 * Parse a pin name into a header GPIO. Bare numbers mean BCM, as in gpiozero.
 * Power/ground positions and numbers that do not exist on the 40-pin header are rejected
 * with an error naming the input and the accepted forms.
 */
export function parsePin(input: string): Pin {
  const text = input.trim();
  const m = PATTERN.exec(text);
  if (!m) throw invalid(input, 'not a pin name');
  const scheme = (m[1] ?? m[2] ?? 'bare').toUpperCase() as PinScheme;
  const n = Number(m[3]);
  switch (scheme) {
    case 'BOARD':
    case 'J8': {
      const h = byBoard(n);
      if (!h) throw invalid(input, `the header has physical pins 1-40, not ${n}`);
      if (h.kind === 'power') throw invalid(input, `physical pin ${n} is ${h.supply}, not a GPIO`);
      return toPin(h, input);
    }
    case 'WPI': {
      const h = byWpi(n);
      if (!h) throw invalid(input, `wiringPi pin ${n} is not on the 40-pin header (valid: 0-16, 21-31)`);
      return toPin(h, input);
    }
    default: {
      const h = byBcm(n);
      if (!h) throw invalid(input, `BCM GPIO ${n} is not on the 40-pin header (valid: 0-27)`);
      return toPin(h, input);
    }
  }
}

/** All the names of one pin, e.g. "BOARD7 = BCM4 = WPI7". Apps log this at start. */
export function describePin(pin: GpioHeaderPin): string {
  const base = `BOARD${pin.board} = BCM${pin.bcm} = WPI${pin.wpi}`;
  return pin.function ? `${base} (${pin.function})` : base;
}

/** Every spelling that names this pin; handy for property tests and docs. */
export function pinAliases(pin: GpioHeaderPin): string[] {
  return [`BOARD${pin.board}`, `J8:${pin.board}`, `BCM${pin.bcm}`, `GPIO${pin.bcm}`, `WPI${pin.wpi}`, String(pin.bcm)];
}
