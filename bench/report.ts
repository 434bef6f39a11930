/** Bench results: ratios against the baseline, the printed table and the JSON summary. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Extras } from './case-types.js';
import { MAX_WORKER_SPREAD } from './defaults.js';
import type { LoadResult } from './load.js';
import type { PropagationResult } from './propagation.js';
import type { WorkerShare } from './worker-share.js';

export interface CaseResult {
  name: string;
  description: string;
  ok: boolean;
  error?: string;
  /** Why the case did not run here (a peer program missing and not installable): not a failure. */
  skipped?: string;
  /** Milliseconds from start() to ready (for Gerbang: spawn to /readyz 200). */
  startMs?: number;
  requests?: number;
  requestsPerSecond?: number;
  p50Ms?: number;
  p99Ms?: number;
  /** Non-2xx/3xx answers and socket errors during the measured run. */
  errors?: number;
  /** The largest summed RSS of the case's process tree seen during any measured run, KiB. */
  peakRssKiB?: number;
  /** Every measured run (with its own peak RSS and extras); the figures above are their medians. */
  runs?: (LoadResult & { peakRssKiB?: number; extras?: Extras })[];
  /** Figures measured once after the runs (propagation). */
  extras?: Extras;
  /** requests/s of this case ÷ requests/s of the reference case, Gerbang (issue 7's "ratio to Gerbang"). */
  throughputVsGerbang?: number;
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
  /** The case every row's throughput is also divided by (Gerbang, one worker). */
  reference: string;
  cases: CaseResult[];
}

const round = (n: number, digits: number): number => Number(n.toFixed(digits));

/** Fills the ratios on every measured case: against the baseline (rps, p99) and the reference (rps), when measured. */
export function addRatios(results: CaseResult[], baseline: string, reference: string): void {
  const base = results.find((r) => r.name === baseline && r.ok);
  const ref = results.find((r) => r.name === reference && r.ok);
  for (const r of results) {
    if (!r.ok || r.requestsPerSecond === undefined || r.p99Ms === undefined) continue;
    if (base?.requestsPerSecond && base.p99Ms) {
      r.throughputVsBaseline = round(r.requestsPerSecond / base.requestsPerSecond, 3);
      r.p99VsBaseline = round(r.p99Ms / base.p99Ms, 3);
    }
    if (ref?.requestsPerSecond) r.throughputVsGerbang = round(r.requestsPerSecond / ref.requestsPerSecond, 3);
  }
}

/** The issues' throughput targets, each as `numerator ÷ denominator ≥ minimum` on requests/s (issue 7 unless named). */
const THROUGHPUT_TARGETS: readonly { subject: string; peer: string; min: number; issue?: number }[] = [
  { subject: 'gerbang', peer: 'bare-proxy', min: 1, issue: 2 },
  { subject: 'gerbang-cache-hit', peer: 'bare-proxy', min: 2.5, issue: 5 },
  { subject: 'gerbang', peer: 'caddy', min: 1.5 },
  { subject: 'gerbang', peer: 'node-http-proxy', min: 1.3 },
  { subject: 'gerbang', peer: 'nginx', min: 0.4 },
  { subject: 'gerbang-cache-hit', peer: 'nginx-cache-hit', min: 0.5 },
  { subject: 'gerbang-10k-hosts', peer: 'gerbang-10-hosts', min: 0.95 },
  { subject: 'gerbang-2-workers', peer: 'gerbang', min: 1 },
];
/** Issue 7: a change to one host reaches every worker within 1 s with 10,000 hosts registered. */
const MAX_PROPAGATION_MS = 1_000;

const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
const mib = (kib: number): string => (kib / 1024).toFixed(1);

/** The target lines under the table: every ratio and bound issue 7 sets, met or missed, where both sides ran. */
export function formatTargets(report: BenchReport): string[] {
  const byName = new Map(report.cases.filter((r) => r.ok).map((r) => [r.name, r]));
  const lines: string[] = [];
  for (const t of THROUGHPUT_TARGETS) {
    const a = byName.get(t.subject)?.requestsPerSecond;
    const b = byName.get(t.peer)?.requestsPerSecond;
    if (!a || !b) continue;
    const ratio = a / b;
    const issue = t.issue === undefined ? '' : `, issue ${t.issue}`;
    lines.push(
      `  ${`${t.subject} ÷ ${t.peer}`.padEnd(40)} ${ratio.toFixed(2).padStart(5)}  (target ≥ ${t.min}${issue})  ${verdict(ratio >= t.min)}`,
    );
  }
  // Context for the hit target: the same page from a node:http server doing nothing else.
  const hit = byName.get('gerbang-cache-hit')?.requestsPerSecond;
  const page = byName.get('node-http-page')?.requestsPerSecond;
  const nginxHit = byName.get('nginx-cache-hit')?.requestsPerSecond;
  if (hit && page)
    lines.push(
      `  ${'gerbang-cache-hit ÷ node-http-page'.padEnd(40)} ${(hit / page).toFixed(2).padStart(5)}  (Node's own ceiling)`,
    );
  if (page && nginxHit)
    lines.push(
      `  ${'node-http-page ÷ nginx-cache-hit'.padEnd(40)} ${(page / nginxHit).toFixed(2).padStart(5)}  (the most a Node hit path can reach)`,
    );
  for (const r of byName.values()) {
    const shares = (r.runs ?? []).flatMap((run) => {
      const share = run.extras?.workerShare as WorkerShare | undefined;
      return share ? [share] : [];
    });
    if (shares.length > 0) {
      const worst = Math.max(...shares.map((s) => s.spread));
      const counts = shares.map((s) => Object.values(s.byPid).join('/')).join(', ');
      lines.push(
        `  ${`${r.name}: per-worker requests`.padEnd(40)} ${counts}; largest distance from an even split ` +
          `${(worst * 100).toFixed(1)} % (target ≤ ${MAX_WORKER_SPREAD * 100} %)  ${verdict(worst <= MAX_WORKER_SPREAD)}`,
      );
    }
    const propagation = r.extras?.propagation as PropagationResult | undefined;
    if (propagation) {
      lines.push(
        `  ${`${r.name}: new host routed after`.padEnd(40)} median ${propagation.medianMs} ms, max ${propagation.maxMs} ms ` +
          `(PUT answered in ${propagation.putMedianMs} ms; ${propagation.samplesMs.join(', ')}) (target ≤ ${MAX_PROPAGATION_MS} ms)  ` +
          verdict(propagation.maxMs <= MAX_PROPAGATION_MS),
      );
    }
  }
  const big = byName.get('gerbang-10k-hosts');
  if (big?.peakRssKiB)
    lines.push(`  ${'gerbang-10k-hosts: peak RSS under load'.padEnd(40)} ${mib(big.peakRssKiB)} MiB`);
  return lines;
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
    'peak RSS MiB',
    'errors',
    `rps ÷ ${report.reference}`,
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
          r.peakRssKiB ? mib(r.peakRssKiB) : '-',
          String(r.errors ?? 0),
          r.throughputVsGerbang?.toFixed(2) ?? '-',
          r.throughputVsBaseline?.toFixed(2) ?? '-',
          r.p99VsBaseline?.toFixed(2) ?? '-',
        ]
      : [r.name, r.skipped ? 'skipped' : 'FAILED', '', '', '', '', '', '', ''],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const lines = [
    pad(header, widths),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map((row) => pad(row, widths)),
  ];
  for (const r of report.cases) {
    if (r.skipped) lines.push(`\n${r.name} skipped: ${r.skipped}`);
    else if (!r.ok) lines.push(`\n${r.name} FAILED: ${r.error}`);
    else if (r.errors)
      lines.push(
        `\nwarning: ${r.name} had ${r.errors} error answers of ${r.requests}: its figures are suspect`,
      );
  }
  const targets = formatTargets(report);
  if (targets.length > 0) lines.push('', 'targets:', ...targets);
  lines.push(
    '',
    `${report.loadGenerator}, ${report.connections} connections, ${report.threads} thread(s), ` +
      `${report.runs > 1 ? `median of ${report.runs} runs of ` : ''}${report.seconds}s after ${report.warmupSeconds}s warm-up; ` +
      `pinning: ${report.pinning}; peak RSS: the largest summed VmRSS of the case's process tree during the measured runs`,
  );
  return lines.join('\n');
}

export function writeReport(file: string, report: BenchReport): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
