/** One host's kept uptime (store `uptime`, id = host): exact incidents for 90 days, a character per minute for a day, per hour for 90 days. */
import {
  UPTIME_HOUR_SLOTS,
  UPTIME_MAX_INCIDENTS,
  UPTIME_MINUTE_SLOTS,
  UPTIME_MINUTES_PER_HOUR,
  UPTIME_RETENTION_MS,
} from '../../config/defaults.js';

export interface Incident {
  /** Epoch ms the host went down (as its checks or its traffic saw it). */
  start: number;
  /** Epoch ms it came back; absent while it is still down. */
  end?: number;
  cause: string;
}

/**
 * Minute characters: `.` nobody recorded, `u` up, `e` up but real traffic met upstream errors, `d` down for some
 * part of the minute. Hour characters: `.` nobody recorded, else `0` + the number of down minutes (0..60).
 */
export interface UptimeRecord {
  v: 1;
  host: string;
  agency?: string;
  /** Epoch ms of the first recording: a month's uptime counts from here. */
  since: number;
  /** Epoch ms the writer last wrote: what a new writer trusts an open incident up to. */
  lastSeen: number;
  /** Start (epoch ms) of the slot of minutes[0]; slots are `slotMs` long. */
  minutesFrom: number;
  minutes: string;
  hoursFrom: number;
  hours: string;
  incidents: Incident[];
}

export function emptyRecord(host: string, agency: string | undefined, now: number): UptimeRecord {
  return {
    v: 1,
    host,
    ...(agency !== undefined ? { agency } : {}),
    since: now,
    lastSeen: now,
    minutesFrom: now,
    minutes: '',
    hoursFrom: now,
    hours: '',
    incidents: [],
  };
}

export function decodeRecord(raw: string | undefined): UptimeRecord | undefined {
  if (raw === undefined) return undefined;
  try {
    const r = JSON.parse(raw) as Partial<UptimeRecord>;
    if (r.v !== 1 || typeof r.host !== 'string' || !Array.isArray(r.incidents)) return undefined;
    if (typeof r.minutes !== 'string' || typeof r.hours !== 'string') return undefined;
    return r as UptimeRecord;
  } catch {
    return undefined;
  }
}

/** Writes `ch` at the slot starting at `slotStart` of a window of `max` slots, sliding the window forward. */
function setSlot(
  from: number,
  text: string,
  slotStart: number,
  slotMs: number,
  max: number,
  ch: string,
): { from: number; text: string } {
  if (text === '') return { from: slotStart, text: ch };
  let index = Math.round((slotStart - from) / slotMs);
  if (index < 0) return { from, text };
  let out = text;
  let start = from;
  if (index >= max) {
    const drop = index - max + 1;
    if (drop >= out.length) {
      start = slotStart - (max - 1) * slotMs;
      out = '';
    } else {
      out = out.slice(drop);
      start = from + drop * slotMs;
    }
    index = Math.round((slotStart - start) / slotMs);
  }
  if (out.length < index) out += '.'.repeat(index - out.length);
  return { from: start, text: out.slice(0, index) + ch + out.slice(index + 1) };
}

/** Down time (ms) of the incidents within [from, to). */
export function downMs(incidents: readonly Incident[], from: number, to: number, now: number): number {
  let total = 0;
  for (const i of incidents) {
    const s = Math.max(i.start, from);
    const e = Math.min(i.end ?? now, to);
    if (e > s) total += e - s;
  }
  return total;
}

/**
 * Closes the minute slot starting at `slotStart`: its character from the incidents and the traffic errors, and
 * the character of its hour from the minutes kept.
 */
export function closeMinute(
  record: UptimeRecord,
  slotStart: number,
  slotMs: number,
  trafficErrors: number,
  now: number,
): void {
  const down = downMs(record.incidents, slotStart, slotStart + slotMs, now) > 0;
  const ch = down ? 'd' : trafficErrors > 0 ? 'e' : 'u';
  const m = setSlot(record.minutesFrom, record.minutes, slotStart, slotMs, UPTIME_MINUTE_SLOTS, ch);
  record.minutesFrom = m.from;
  record.minutes = m.text;
  const hourMs = slotMs * UPTIME_MINUTES_PER_HOUR;
  const hourStart = Math.floor(slotStart / hourMs) * hourMs;
  let downMinutes = 0;
  let seen = false;
  for (let k = 0; k < UPTIME_MINUTES_PER_HOUR; k++) {
    const index = Math.round((hourStart + k * slotMs - record.minutesFrom) / slotMs);
    const c = index >= 0 ? record.minutes[index] : undefined;
    if (c === undefined || c === '.') continue;
    seen = true;
    if (c === 'd') downMinutes++;
  }
  if (!seen) return;
  const h = setSlot(
    record.hoursFrom,
    record.hours,
    hourStart,
    hourMs,
    UPTIME_HOUR_SLOTS,
    String.fromCharCode(48 + downMinutes),
  );
  record.hoursFrom = h.from;
  record.hours = h.text;
}

/** Drops incidents that ended more than 90 days ago, and the oldest beyond the cap: the record stays bounded. */
export function pruneIncidents(record: UptimeRecord, now: number): void {
  const horizon = now - UPTIME_RETENTION_MS;
  let kept = record.incidents.filter((i) => i.end === undefined || i.end >= horizon);
  if (kept.length > UPTIME_MAX_INCIDENTS) kept = kept.slice(kept.length - UPTIME_MAX_INCIDENTS);
  record.incidents = kept;
}

export function openIncident(record: UptimeRecord): Incident | undefined {
  const last = record.incidents.at(-1);
  return last !== undefined && last.end === undefined ? last : undefined;
}
