// When the app's state goes out: at once when it changed enough to matter, otherwise with a
// heartbeat, so a reading every second does not flood the broker and Home Assistant still
// hears from the app before its expire_after runs out.

/** What an app's code sees of MQTT: its state, as a JSON-able object. */
export interface MqttState {
  /**
   * The app's state now. Sent at once when `significant` (and always the first time);
   * otherwise the newest state goes out when the heartbeat is due.
   */
  state(state: object, significant?: boolean): void;
}

export class StateReporter implements MqttState {
  private latest: string | undefined;
  private stopped = false;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly send: (payload: string) => void,
    heartbeatSeconds: number,
  ) {
    this.heartbeat = setTimeout(() => this.beat(), heartbeatSeconds * 1000);
    // The service's server keeps the process alive; this timer must not.
    this.heartbeat.unref();
  }

  state(state: object, significant = true): void {
    if (this.stopped) return;
    const first = this.latest === undefined;
    this.latest = JSON.stringify(state);
    if (significant || first) this.sendLatest();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.heartbeat);
  }

  private beat(): void {
    if (this.latest !== undefined) this.sendLatest();
    else this.heartbeat.refresh();
  }

  private sendLatest(): void {
    this.send(this.latest!);
    // The next heartbeat is a full interval after the last message, whatever sent it.
    this.heartbeat.refresh();
  }
}
