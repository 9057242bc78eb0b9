// The messages waiting for the broker. Bounded, so a broker that is down for a week costs the
// same memory as one that is down for a minute: when it is full the oldest message goes, the
// one a subscriber would miss least.

export class Outbox<T> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new RangeError(`outbox capacity ${capacity}: accepted: a positive integer`);
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Adds `item` as the newest; returns how many old items were dropped to make room (0 or 1). */
  push(item: T): number {
    let dropped = 0;
    if (this.count === this.capacity) {
      this.shift();
      dropped = 1;
    }
    this.items[(this.head + this.count) % this.capacity] = item;
    this.count++;
    return dropped;
  }

  /**
   * Puts `items` (oldest first) back in front of everything, as the oldest: messages sent but
   * never acknowledged go again first. Returns how many of them did not fit.
   */
  requeue(items: readonly T[]): number {
    const fit = Math.min(items.length, this.capacity - this.count);
    for (let i = items.length - 1; i >= items.length - fit; i--) {
      this.head = (this.head - 1 + this.capacity) % this.capacity;
      this.items[this.head] = items[i];
      this.count++;
    }
    return items.length - fit;
  }

  /** Takes the oldest item. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    return item;
  }
}
