/** Konsol's traffic view: per host a chart and a table of the last hours (requests, errors, bytes, hit ratio), on its own page and on the host's page. */
import type { TrafficHostRow, TrafficReport } from '../usage/traffic-report.js';
import type { Lang } from './konsol-i18n.js';
import { escapeHtml, layout, type PageFrame, type PageUser } from './konsol-pages.js';
import { trafficChart } from './traffic-chart.js';
import { fillWords, TRAFFIC_WORDS } from './traffic-words.js';

/** The ranges offered on the page (all within DEFAULT_TRAFFIC_HOURS). */
export const TRAFFIC_PAGE_RANGES = [6, 12, 24, 48] as const;

const LOCALE: Record<Lang, string> = { id: 'id-ID', en: 'en-GB' };
const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

function count(n: number, lang: Lang): string {
  return `<data value="${n}">${escapeHtml(n.toLocaleString(LOCALE[lang]))}</data>`;
}

function bytes(n: number, lang: Lang): string {
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = `${value.toLocaleString(LOCALE[lang], { maximumFractionDigits: unit === 0 ? 0 : 1 })} ${UNITS[unit]}`;
  return `<data value="${n}">${escapeHtml(text)}</data>`;
}

function ratio(r: number | null, lang: Lang): string {
  if (r === null) return escapeHtml(TRAFFIC_WORDS[lang].noCache);
  return `<data value="${r}">${escapeHtml(r.toLocaleString(LOCALE[lang], { style: 'percent', maximumFractionDigits: 1 }))}</data>`;
}

/** One host: totals, the chart, and the hours newest first (quiet hours left out of the table, not the chart). */
function trafficHostBody(lang: Lang, row: TrafficHostRow, hours: number, id: string): string {
  const w = TRAFFIC_WORDS[lang];
  const busy = row.hours.filter((hour) => hour.requests > 0 || hour.upstreamFailures > 0).reverse();
  const cells = (f: TrafficHostRow | TrafficHostRow['hours'][number]) =>
    `<td data-field="requests">${count(f.requests, lang)}</td><td data-field="errors5xx">${count(f.errors5xx, lang)}</td><td data-field="upstreamFailures">${count(f.upstreamFailures, lang)}</td><td data-field="bytesSent">${bytes(f.bytesSent, lang)}</td><td data-field="cacheHitRatio">${ratio(f.cacheHitRatio, lang)}</td>`;
  const head = `<tr><th scope="col">${escapeHtml(w.hour)}</th><th scope="col">${escapeHtml(w.requests)}</th><th scope="col">${escapeHtml(w.errors)}</th><th scope="col">${escapeHtml(w.failures)}</th><th scope="col">${escapeHtml(w.bytes)}</th><th scope="col">${escapeHtml(w.hitRatio)}</th></tr>`;
  const body = busy
    .map(
      (hour) =>
        `<tr data-hour="${escapeHtml(hour.hour)}"><th scope="row"><time datetime="${escapeHtml(hour.hour)}">${escapeHtml(hour.hour.slice(0, 16).replace('T', ' '))}</time></th>${cells(hour)}</tr>`,
    )
    .join('');
  const total = `<tr data-total><th scope="row">${escapeHtml(fillWords(w.total, { n: hours }))}</th>${cells(row)}</tr>`;
  return `${trafficChart(row.hours, w, `${id}-chart`)}
<div class="scroll" tabindex="0" role="region" aria-labelledby="${id}"><table class="traffic"><thead>${head}</thead><tbody>${body}</tbody><tfoot>${total}</tfoot></table></div>`;
}

function idOf(host: string): string {
  return `traffic-${host.replace(/[^a-z0-9-]/gi, '-')}`;
}

function trafficHostSection(lang: Lang, row: TrafficHostRow, hours: number): string {
  const w = TRAFFIC_WORDS[lang];
  const id = idOf(row.agency === '' ? row.host : `${row.agency}-${row.host}`);
  const agency =
    row.agency === '' ? '' : `<p>${escapeHtml(w.agency)}: <code>${escapeHtml(row.agency)}</code></p>`;
  return `<section class="card" aria-labelledby="${id}" data-traffic-host="${escapeHtml(row.host)}">
<h2 id="${id}">${escapeHtml(row.host)}</h2>${agency}
${trafficHostBody(lang, row, hours, id)}
</section>`;
}

function rangeForm(lang: Lang, hours: number): string {
  const w = TRAFFIC_WORDS[lang];
  const options = TRAFFIC_PAGE_RANGES.map(
    (n) =>
      `<option value="${n}"${n === hours ? ' selected' : ''}>${escapeHtml(fillWords(w.lastHours, { n }))}</option>`,
  ).join('');
  return `<form method="get" action="/konsol/lalu-lintas"><input type="hidden" name="lang" value="${lang}">
<label for="hours">${escapeHtml(w.range)}</label>
<select id="hours" name="hours">${options}</select>
<p><button type="submit">${escapeHtml(w.show)}</button></p></form>`;
}

/** /konsol/lalu-lintas: every host the user may see that had traffic in the window. */
export function trafficPage(frame: PageFrame & { user: PageUser }, report: TrafficReport): string {
  const { lang } = frame;
  const w = TRAFFIC_WORDS[lang];
  const hosts =
    report.hosts.length === 0
      ? `<p>${escapeHtml(fillWords(w.none, { n: report.hours }))}</p>`
      : report.hosts.map((row) => trafficHostSection(lang, row, report.hours)).join('\n');
  return layout(
    frame,
    '/konsol/lalu-lintas',
    `<p>${escapeHtml(w.intro)}</p>${rangeForm(lang, report.hours)}${hosts}`,
  );
}

/** The host page's section: the same figures for one host (an empty window says so). */
export function hostTrafficSection(lang: Lang, host: string, report: TrafficReport): string {
  const w = TRAFFIC_WORDS[lang];
  const row = report.hosts.find((r) => r.host === host);
  const inner = row
    ? `<div data-traffic-host="${escapeHtml(row.host)}">${trafficHostBody(lang, row, report.hours, 'h-traffic')}</div>`
    : `<p>${escapeHtml(fillWords(w.none, { n: report.hours }))}</p>`;
  return `<section class="card" aria-labelledby="h-traffic"><h2 id="h-traffic">${escapeHtml(fillWords(w.section, { n: report.hours }))}</h2>
<p><a href="/konsol/lalu-lintas?lang=${lang}">${escapeHtml(w.title)}</a></p>${inner}</section>`;
}
