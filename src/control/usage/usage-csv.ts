/** The usage report as CSV (RFC 4180: CRLF, quoted only where needed): one row per agency and host, for the budget sheet. */
import type { UsageReport } from './usage-report.js';

const HEADER = [
  'month',
  'agency',
  'host',
  'requests',
  'bytes_sent',
  'bytes_saved_by_cache',
  'bytes_saved_by_compression',
  'cache_hits',
  'cache_hit_ratio',
  'errors_5xx',
  'upstream_failures',
  'p95_upstream_ms',
];

function cell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  // A leading = + - @ would run as a formula in a spreadsheet: quoted and prefixed, never evaluated.
  const guarded = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(guarded) || guarded !== text ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

export function usageCsv(report: UsageReport): string {
  const lines = [HEADER.join(',')];
  for (const row of report.hosts) {
    lines.push(
      [
        report.month,
        row.agency,
        row.host,
        row.requests,
        row.bytesSent,
        row.bytesSavedByCache,
        row.bytesSavedByCompression,
        row.cacheHits,
        row.cacheHitRatio,
        row.errors5xx,
        row.upstreamFailures,
        row.p95UpstreamMs,
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
