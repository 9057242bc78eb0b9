import { describe, expect, it } from 'vitest';
import { describePin, HEADER, InvalidValueError, parsePin, pinAliases, GPIO_PINS } from '../src/index.js';

// An independent transcription of the J8 header (physical: BCM/WPI or supply), checked
// against the table the code derives everything from. The rows of docs/hardware.md#wiring are included.
const EXPECTED: Record<number, string> = {
  1: '3V3', 2: '5V', 3: 'BCM2/WPI8', 4: '5V', 5: 'BCM3/WPI9', 6: 'GND', 7: 'BCM4/WPI7', 8: 'BCM14/WPI15',
  9: 'GND', 10: 'BCM15/WPI16', 11: 'BCM17/WPI0', 12: 'BCM18/WPI1', 13: 'BCM27/WPI2', 14: 'GND',
  15: 'BCM22/WPI3', 16: 'BCM23/WPI4', 17: '3V3', 18: 'BCM24/WPI5', 19: 'BCM10/WPI12', 20: 'GND',
  21: 'BCM9/WPI13', 22: 'BCM25/WPI6', 23: 'BCM11/WPI14', 24: 'BCM8/WPI10', 25: 'GND', 26: 'BCM7/WPI11',
  27: 'BCM0/WPI30', 28: 'BCM1/WPI31', 29: 'BCM5/WPI21', 30: 'GND', 31: 'BCM6/WPI22', 32: 'BCM12/WPI26',
  33: 'BCM13/WPI23', 34: 'GND', 35: 'BCM19/WPI24', 36: 'BCM16/WPI27', 37: 'BCM26/WPI25', 38: 'BCM20/WPI28',
  39: 'GND', 40: 'BCM21/WPI29',
};

describe('40-pin header map', () => {
  it.each(Object.entries(EXPECTED))('physical pin %s is %s', (board, expected) => {
    const h = HEADER[Number(board) - 1]!;
    expect(h.board).toBe(Number(board));
    expect(h.kind === 'power' ? h.supply : `BCM${h.bcm}/WPI${h.wpi}`).toBe(expected);
  });

  it('has 28 GPIOs with unique BCM and WPI numbers', () => {
    expect(GPIO_PINS).toHaveLength(28);
    expect(new Set(GPIO_PINS.map((p) => p.bcm)).size).toBe(28);
    expect(new Set(GPIO_PINS.map((p) => p.wpi)).size).toBe(28);
  });

  it('matches the original system wiring (docs/hardware.md#wiring)', () => {
    expect(describePin(parsePin('WPI12'))).toMatch(/^BOARD19 = BCM10 = WPI12/);
    expect(describePin(parsePin('WPI13'))).toMatch(/^BOARD21 = BCM9 = WPI13/);
    expect(describePin(parsePin('WPI14'))).toMatch(/^BOARD23 = BCM11 = WPI14/);
    expect(describePin(parsePin('BOARD7'))).toMatch(/^BOARD7 = BCM4 = WPI7/);
  });
});

describe('parsePin', () => {
  it('accepts every naming form for the same pin', () => {
    for (const name of ['BOARD11', 'board11', 'J8:11', 'BCM17', 'GPIO17', 'gpio17', 'WPI0', '17', ' 17 ']) {
      expect(parsePin(name).bcm, name).toBe(17);
      expect(parsePin(name).id).toBe('BCM17');
    }
  });

  it('round-trips every alias of every GPIO', () => {
    for (const p of GPIO_PINS) for (const alias of pinAliases(p)) expect(parsePin(alias).board).toBe(p.board);
  });

  it.each([
    ['BOARD6', /physical pin 6 is GND/],
    ['BOARD1', /physical pin 1 is 3V3/],
    ['J8:2', /physical pin 2 is 5V/],
    ['BOARD41', /1-40, not 41/],
    ['BCM28', /BCM GPIO 28 is not on the 40-pin header/],
    ['40', /BCM GPIO 40/],
    ['WPI17', /wiringPi pin 17/],
    ['pin7', /not a pin name/],
    ['', /not a pin name/],
    ['BCM-1', /not a pin name/],
  ])('rejects %s with a message naming it and the accepted forms', (name, why) => {
    let err: unknown;
    try {
      parsePin(name);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidValueError);
    const msg = (err as Error).message;
    expect(msg).toContain(`"${name}"`);
    expect(msg).toMatch(why);
    expect(msg).toContain('Accepted forms: BOARD<1-40>');
  });
});
