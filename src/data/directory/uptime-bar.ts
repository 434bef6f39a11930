/** A service's 90-day uptime as a small inline SVG (no script, no image fetch: fits the directory's CSP), with its text alternative. */
import type { ServiceUptime } from '../../model/service-uptime.js';

const DAY_MS = 86_400_000;
const HEIGHT = 10;

/** `up`: no downtime; `partial`: some, 95 % or more up; `down`: less; `none`: nothing recorded. */
export type DayState = 'up' | 'partial' | 'down' | 'none';

export function dayState(percent: number | null): DayState {
  if (percent === null) return 'none';
  if (percent >= 100) return 'up';
  return percent >= 95 ? 'partial' : 'down';
}

const FILL: Record<DayState, string> = {
  up: '#2b8a3e',
  partial: '#f08c00',
  down: '#c92a2a',
  none: '#d5dbe1',
};

const dayFormats = new Map<string, Intl.DateTimeFormat>();
const percentFormat = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 2 });

function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let f = dayFormats.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('id-ID', { timeZone, day: 'numeric', month: 'short', year: 'numeric' });
    dayFormats.set(timeZone, f);
  }
  return f;
}

export function formatPercent(percent: number): string {
  return `${percentFormat.format(percent)} %`;
}

function dayText(percent: number | null): string {
  return percent === null ? 'tidak tercatat' : `${formatPercent(percent)} aktif`;
}

/**
 * Runs of days with the same value become one rectangle (a bar of 90 alike days costs one element, not 90), each
 * titled with its dates and value: every day has a title, and a page of 100 services stays small.
 */
export function renderUptimeBar(uptime: ServiceUptime, timeZone: string, esc: (s: string) => string): string {
  const format = dayFormat(timeZone);
  // Noon of each day: its date in the zone whatever the offset.
  const label = (d: number) => format.format(uptime.daysFrom + d * DAY_MS + DAY_MS / 2);
  const n = uptime.days.length;
  const rects: string[] = [];
  let troubled = 0;
  for (let start = 0; start < n; ) {
    const value = uptime.days[start] ?? null;
    let end = start + 1;
    while (end < n && (uptime.days[end] ?? null) === value) end++;
    const state = dayState(value);
    if (state === 'partial' || state === 'down') troubled += end - start;
    const dates = end - start === 1 ? label(start) : `${label(start)} – ${label(end - 1)}`;
    rects.push(
      `<rect x="${start}" width="${end - start}" height="${HEIGHT}" fill="${FILL[state]}" data-day="${state}"><title>${esc(`${dates}: ${dayText(value)}`)}</title></rect>`,
    );
    start = end;
  }
  const summary = `${formatPercent(uptime.percent)} aktif dalam ${n} hari terakhir${troubled > 0 ? `, ${troubled} hari dengan gangguan` : ''}`;
  return `<div class="upt"><svg viewBox="0 0 ${n} ${HEIGHT}" preserveAspectRatio="none" role="img" aria-label="${esc(`Ketersediaan: ${summary}`)}" focusable="false">${rects.join('')}</svg><span class="meta">${esc(summary)}</span></div>`;
}
