/** One host's 90-day summary (a percentage per local day and overall) from its kept record: exact, from the incidents. */
import { UPTIME_SUMMARY_DAYS } from '../../config/defaults.js';
import type { ServiceUptime } from '../../model/service-uptime.js';
import { downMs, type UptimeRecord } from './uptime-record.js';

const DAY_MS = 86_400_000;

/** The zone's offset from UTC (ms) at `at`: the directory's days start at the citizens' midnight, not at UTC's. */
export function zoneOffsetMs(timeZone: string, at: number): number {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (m === null) return 0;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) * 3_600_000 + Number(m[3] ?? 0) * 60_000);
}

/** Epoch ms of the local midnight that starts the day holding `at`. */
export function localDayStart(at: number, offsetMs: number): number {
  return Math.floor((at + offsetMs) / DAY_MS) * DAY_MS - offsetMs;
}

const percentUp = (down: number, observed: number): number =>
  observed <= 0 ? 100 : Math.round(10_000 * (1 - down / observed)) / 100;

export function summarizeUptime(record: UptimeRecord, now: number, timeZone: string): ServiceUptime {
  const offset = zoneOffsetMs(timeZone, now);
  const today = localDayStart(now, offset);
  const daysFrom = today - (UPTIME_SUMMARY_DAYS - 1) * DAY_MS;
  const days: Array<number | null> = [];
  for (let d = 0; d < UPTIME_SUMMARY_DAYS; d++) {
    const from = Math.max(daysFrom + d * DAY_MS, record.since);
    const to = Math.min(daysFrom + (d + 1) * DAY_MS, now);
    days.push(to > from ? percentUp(downMs(record.incidents, from, to, now), to - from) : null);
  }
  const from = Math.max(daysFrom, record.since);
  const overall = now > from ? percentUp(downMs(record.incidents, from, now, now), now - from) : 100;
  return { percent: overall, daysFrom, days };
}
