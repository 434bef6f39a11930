/** Bench results: ratios against the baseline, the printed table and the JSON summary. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LoadResult } from './load.js';

export interface CaseResult {
  name: string;
  description: string;
  ok: boolean;
  error?: string;
  /** Milliseconds from start() to ready (for Gerbang: spawn to /readyz 200). */
  startMs?: number;
  requests?: number;
  requestsPerSecond?: number;
  p50Ms?: number;
  p99Ms?: number;
  /** Non-2xx/3xx answers and socket errors during the measured run. */
  errors?: number;
  /** Every measured run; the figures above are their medians. */
  runs?: LoadResult[];
  /** requests/s of this case ÷ requests/s of the baseline (higher is better, 1 = as fast). */
  throughputVsBaseline?: number;
  /** p99 of this case ÷ p99 of the baseline (lower is better, 1 = as fast). */
  p99VsBaseline?: number;
}

export interface BenchReport {
  date: string;
  node: string;
  loadGenerator: string;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  threads: number;
  runs: number;
  pinning: string;
  baseline: string;
  cases: CaseResult[];
}

const round = (n: number, digits: number): number => Number(n.toFixed(digits));

/** Fills throughputVsBaseline / p99VsBaseline on every measured case, when the baseline was measured. */
export function addRatios(results: CaseResult[], baseline: string): void {
  const base = results.find((r) => r.name === baseline && r.ok);
  if (!base?.requestsPerSecond || !base.p99Ms) return;
  for (const r of results) {
    if (!r.ok || r.requestsPerSecond === undefined || r.p99Ms === undefined) continue;
    r.throughputVsBaseline = round(r.requestsPerSecond / base.requestsPerSecond, 3);
    r.p99VsBaseline = round(r.p99Ms / base.p99Ms, 3);
  }
}

function pad(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
}

/** The table printed at the end of a run. */
export function formatTable(report: BenchReport): string {
  const header = [
    'case',
    'requests/s',
    'p50 ms',
    'p99 ms',
    'errors',
    `rps ÷ ${report.baseline}`,
    `p99 ÷ ${report.baseline}`,
  ];
  const rows = report.cases.map((r) =>
    r.ok
      ? [
          r.name,
          r.requestsPerSecond!.toFixed(0),
          r.p50Ms!.toFixed(2),
          r.p99Ms!.toFixed(2),
          String(r.errors ?? 0),
          r.throughputVsBaseline?.toFixed(2) ?? '-',
          r.p99VsBaseline?.toFixed(2) ?? '-',
        ]
      : [r.name, 'FAILED', '', '', '', '', ''],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const lines = [
    pad(header, widths),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map((row) => pad(row, widths)),
  ];
  for (const r of report.cases) {
    if (!r.ok) lines.push(`\n${r.name} FAILED: ${r.error}`);
    else if (r.errors)
      lines.push(
        `\nwarning: ${r.name} had ${r.errors} error answers of ${r.requests}: its figures are suspect`,
      );
  }
  lines.push(
    '',
    `${report.loadGenerator}, ${report.connections} connections, ${report.threads} thread(s), ` +
      `${report.runs > 1 ? `median of ${report.runs} runs of ` : ''}${report.seconds}s after ${report.warmupSeconds}s warm-up; ` +
      `pinning: ${report.pinning}`,
  );
  return lines.join('\n');
}

export function writeReport(file: string, report: BenchReport): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
