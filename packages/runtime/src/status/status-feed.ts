// Live updates for open status pages, as server-sent events. Nothing runs for a page nobody
// has open: an update is only built (and serialised once) while a viewer is connected, and the
// keep-alive timer exists only while there is one.
import type { ServerResponse } from 'node:http';

/** A comment line this often keeps proxies from closing a quiet stream (a long phase). */
const KEEP_ALIVE_MS = 20_000;
/** What EventSource waits before reconnecting after the stream ends. */
const RETRY_MS = 2000;
/** A viewer this far behind (a stalled proxy) is dropped rather than buffered without bound. */
const MAX_BACKLOG_BYTES = 1 << 20;

/** How the feed keeps time; a test passes its own to see every timer the feed holds. */
export interface IntervalTimers<H = unknown> {
  setInterval(fn: () => void, ms: number): H;
  clearInterval(handle: H): void;
}

export class StatusFeed {
  private readonly viewers = new Set<ServerResponse>();
  private keepAlive: unknown;

  constructor(private readonly timers: IntervalTimers = { setInterval: (fn, ms) => setInterval(fn, ms), clearInterval: (h) => clearInterval(h as NodeJS.Timeout) }) {}

  get viewerCount(): number {
    return this.viewers.size;
  }

  /** Holds `res` open as an event stream that starts with `snapshot`. */
  open(res: ServerResponse, snapshot: unknown): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(`retry: ${RETRY_MS}\n${frame('snapshot', JSON.stringify(snapshot))}`);
    this.viewers.add(res);
    res.on('close', () => this.drop(res));
    this.keepAlive ??= this.timers.setInterval(() => this.broadcast(': keep-alive\n\n'), KEEP_ALIVE_MS);
  }

  /** Sends `update()` to every viewer; with none, `update` is not even called. */
  publish(update: () => unknown): void {
    if (this.viewers.size === 0) return;
    this.broadcast(frame('update', JSON.stringify(update())));
  }

  /** Ends every stream (the service is stopping). */
  close(): void {
    for (const res of this.viewers) res.end();
    this.viewers.clear();
    this.stopKeepAlive();
  }

  private broadcast(text: string): void {
    for (const res of this.viewers) {
      if (res.writableLength > MAX_BACKLOG_BYTES) res.destroy();
      else res.write(text);
    }
  }

  private drop(res: ServerResponse): void {
    this.viewers.delete(res);
    if (this.viewers.size === 0) this.stopKeepAlive();
  }

  private stopKeepAlive(): void {
    if (this.keepAlive !== undefined) this.timers.clearInterval(this.keepAlive);
    this.keepAlive = undefined;
  }
}

function frame(event: string, data: string): string {
  // JSON has no raw newlines, so the data is one `data:` line.
  return `event: ${event}\ndata: ${data}\n\n`;
}
