/** A service's 90-day uptime as the public directory shows it: computed by the control plane, carried to every data plane. */

export interface ServiceUptime {
  /** Percent up over the days recorded (at most 90), two decimals. */
  percent: number;
  /** Epoch ms of the start (local midnight) of `days[0]`. */
  daysFrom: number;
  /** One entry per local day, oldest first, today last: percent up, or null when nothing was recorded that day. */
  days: Array<number | null>;
}

/** Every host's summary by name; `generation` grows when any of them changed. */
export interface UptimeSummaries {
  readonly generation: number;
  of(host: string): ServiceUptime | undefined;
}
