// onoff's edge callbacks carry no timestamp, so the driver stamps them itself when the
// callback runs, on the monotonic hrtime clock in ns. The stamp includes the latency from the
// interrupt to the callback (epoll thread, then the event loop): fine for ms-scale RC timing,
// not for µs precision (use gpiochip or pigpio for that).
import type { TickSource } from '../../clock/ticks.js';

export const HRTIME_MODULUS = 2 ** 53;
const MODULUS_BIG = 2n ** 53n;

/** hrtime in ns, folded into the exact integer range of a double. */
export const hrtimeTick = (hrtime: bigint = process.hrtime.bigint()): number => Number(hrtime % MODULUS_BIG);

export const hrtimeTicks: TickSource = { unitSeconds: 1e-9, modulus: HRTIME_MODULUS, now: () => hrtimeTick() };
