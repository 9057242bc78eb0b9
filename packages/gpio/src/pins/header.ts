// The Raspberry Pi 40-pin J8 header, as one table: every other pin-naming form is derived
// from it, so the BOARD/BCM/WPI mappings cannot drift apart.

/** A header position that is not a GPIO. */
export type PowerPin = '3V3' | '5V' | 'GND';

export interface GpioHeaderPin {
  readonly kind: 'gpio';
  /** Physical position on the header (BOARD / J8 numbering), 1..40. */
  readonly board: number;
  /** Broadcom SoC GPIO number (BCM / GPIO numbering). */
  readonly bcm: number;
  /** wiringPi number (WPI numbering). */
  readonly wpi: number;
  /** Alternate function worth knowing about when wiring (e.g. SPI pins must stay free). */
  readonly function?: string;
}

export interface PowerHeaderPin {
  readonly kind: 'power';
  readonly board: number;
  readonly supply: PowerPin;
}

export type HeaderPin = GpioHeaderPin | PowerHeaderPin;

const g = (board: number, bcm: number, wpi: number, fn?: string): GpioHeaderPin =>
  fn === undefined ? { kind: 'gpio', board, bcm, wpi } : { kind: 'gpio', board, bcm, wpi, function: fn };
const p = (board: number, supply: PowerPin): PowerHeaderPin => ({ kind: 'power', board, supply });

/** All 40 header positions, indexed by physical number - 1. */
export const HEADER: readonly HeaderPin[] = [
  p(1, '3V3'), p(2, '5V'),
  g(3, 2, 8, 'I2C1 SDA'), p(4, '5V'),
  g(5, 3, 9, 'I2C1 SCL'), p(6, 'GND'),
  g(7, 4, 7, 'GPCLK0'), g(8, 14, 15, 'UART TXD'),
  p(9, 'GND'), g(10, 15, 16, 'UART RXD'),
  g(11, 17, 0), g(12, 18, 1, 'PCM CLK / PWM0'),
  g(13, 27, 2), p(14, 'GND'),
  g(15, 22, 3), g(16, 23, 4),
  p(17, '3V3'), g(18, 24, 5),
  g(19, 10, 12, 'SPI0 MOSI'), p(20, 'GND'),
  g(21, 9, 13, 'SPI0 MISO'), g(22, 25, 6),
  g(23, 11, 14, 'SPI0 SCLK'), g(24, 8, 10, 'SPI0 CE0'),
  p(25, 'GND'), g(26, 7, 11, 'SPI0 CE1'),
  g(27, 0, 30, 'ID_SD (HAT EEPROM)'), g(28, 1, 31, 'ID_SC (HAT EEPROM)'),
  g(29, 5, 21), p(30, 'GND'),
  g(31, 6, 22), g(32, 12, 26, 'PWM0'),
  g(33, 13, 23, 'PWM1'), p(34, 'GND'),
  g(35, 19, 24, 'PCM FS / PWM1'), g(36, 16, 27),
  g(37, 26, 25), g(38, 20, 28, 'PCM DIN'),
  p(39, 'GND'), g(40, 21, 29, 'PCM DOUT'),
];

export const GPIO_PINS: readonly GpioHeaderPin[] = HEADER.filter((h): h is GpioHeaderPin => h.kind === 'gpio');

export const byBoard = (board: number): HeaderPin | undefined => HEADER[board - 1];
export const byBcm = (bcm: number): GpioHeaderPin | undefined => GPIO_PINS.find((h) => h.bcm === bcm);
export const byWpi = (wpi: number): GpioHeaderPin | undefined => GPIO_PINS.find((h) => h.wpi === wpi);
