/** A host's requests per hour as a small inline SVG bar chart: drawn on the server, no script, no stylesheet of its own (the CSP allows neither inline). */
import type { TrafficHour } from '../usage/traffic-report.js';
import { escapeHtml } from './konsol-pages.js';
import { fillWords, type TrafficWords } from './traffic-words.js';

const BAR = 10;
const HEIGHT = 60;

/** One bar per hour, oldest left; the 5xx share of a bar drawn over it in red. Scaled to the busiest hour. */
export function trafficChart(hours: readonly TrafficHour[], words: TrafficWords, id: string): string {
  const max = Math.max(1, ...hours.map((h) => h.requests));
  const bars = hours
    .map((h, i) => {
      const x = i * BAR + 1;
      const tall = h.requests === 0 ? 0 : Math.max(1, Math.round((h.requests / max) * HEIGHT));
      const bad = h.errors5xx === 0 ? 0 : Math.max(1, Math.round((h.errors5xx / max) * HEIGHT));
      const title = fillWords(words.barTitle, {
        hour: h.hour.slice(0, 16).replace('T', ' '),
        requests: h.requests,
        errors: h.errors5xx,
      });
      return `<g><title>${escapeHtml(title)}</title><rect x="${x}" y="${HEIGHT - tall}" width="${BAR - 2}" height="${tall}" fill="#0b4f6c"/>${
        bad > 0
          ? `<rect x="${x}" y="${HEIGHT - bad}" width="${BAR - 2}" height="${bad}" fill="#a4000f"/>`
          : ''
      }</g>`;
    })
    .join('');
  const label = fillWords(words.chart, { n: hours.length });
  return `<svg role="img" aria-labelledby="${id}" viewBox="0 0 ${hours.length * BAR} ${HEIGHT + 1}" width="100%" height="80" preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg"><title id="${id}">${escapeHtml(label)}</title><line x1="0" y1="${HEIGHT + 0.5}" x2="${hours.length * BAR}" y2="${HEIGHT + 0.5}" stroke="#8a96a3" stroke-width="1"/>${bars}</svg>`;
}
