// A driver keeps the lines it handed out, so close() can release any that the PinFactory
// did not (a driver used on its own, or a close that failed half-way). Shared by the
// backends whose lines hold library state (pigpio, onoff).

export interface Releasable {
  readonly isReleased: boolean;
  release(): Promise<void>;
}

export class ClaimedLines<L extends Releasable> {
  private readonly lines = new Set<L>();

  /** Track `line`, forgetting released ones so repeated claims do not accumulate. */
  add(line: L): L {
    for (const l of this.lines) if (l.isReleased) this.lines.delete(l);
    this.lines.add(line);
    return line;
  }

  /** Release every line, attempting all of them; one AggregateError names the failures. */
  async releaseAll(backend: string): Promise<void> {
    const errors: unknown[] = [];
    for (const line of this.lines) {
      try {
        await line.release();
      } catch (err) {
        errors.push(err);
      }
    }
    this.lines.clear();
    if (errors.length > 0) throw new AggregateError(errors, `${backend} backend: errors while releasing lines`);
  }
}
