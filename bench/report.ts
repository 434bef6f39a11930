/** Bench results: ratios against the baseline, the printed table and the JSON summary. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Extras } from './case-types.js';
import { MAX_P99_OVER_ORIGIN_MS, MAX_WORKER_SPREAD, MIN_ORIGIN_HEADROOM } from './defaults.js';
import type { LoadResult } from './load.js';
import type { PropagationResult } from './propagation.js';
import type { WorkerShare } from './worker-share.js';

/** One run at a fixed offered load (h2load --rps): what was asked, what came, and the latencies. */
export interface FixedLoadResult {
  /** Offered requests/s: FIXED_LOAD_FRACTION of the peak of the saturation run just before. */
  rate: number;
  achieved: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** gerbang only: the origin alone at the same rate, right after. */
  originP50Ms?: number;
  originP99Ms?: number;
}

/** One measured run of a case: the saturation figures, then the fixed-load run. */
export type RunResult = LoadResult & { peakRssKiB?: number; extras?: Extras; fixed?: FixedLoadResult };

export interface CaseResult {
  name: string;
  description: string;
  ok: boolean;
  /** The origin page the case's requests reach (the headroom check), none for hits. */
  origin?: 'small' | 'big';
  /** What its requests/s are (handshakes/s for the Connection: close cases). */
  unit?: string;
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
  runs?: RunResult[];
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
  /** What the origin was (nginx, or the old Node backend). */
  origin?: string;
  /** The fixed offered load as a fraction of each case's peak, when measured. */
  fixedLoadFraction?: number | undefined;
  baseline: string;
  /** The case every row's throughput is also divided by (Gerbang, one worker). */
  reference: string;
  cases: CaseResult[];
}

const round = (n: number, digits: number): number => Number(n.toFixed(digits));

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median of one fixed-load figure over a case's runs. */
export function fixedMedian(
  r: CaseResult,
  pick: (f: FixedLoadResult) => number | undefined,
): number | undefined {
  return median(
    (r.runs ?? []).flatMap((run) => (run.fixed ? [pick(run.fixed)].filter((v) => v !== undefined) : [])),
  );
}

/** The case that shows the origin's own capacity for what a case asks of it. */
const ORIGIN_REFERENCE = { small: 'backend-direct', big: 'backend-direct-40k' } as const;

/**
 * backend-direct ÷ the case: below MIN_ORIGIN_HEADROOM the origin (or the load core it shares with the load
 * generator) may be what limited the case, so its figure says nothing about the proxy.
 */
export function originHeadroom(report: BenchReport, r: CaseResult): number | undefined {
  if (!r.origin || !r.requestsPerSecond) return undefined;
  const ref = report.cases.find((c) => c.name === ORIGIN_REFERENCE[r.origin!] && c.ok);
  return ref?.requestsPerSecond ? ref.requestsPerSecond / r.requestsPerSecond : undefined;
}

const notComparable = (report: BenchReport, r: CaseResult | undefined): boolean => {
  const headroom = r && originHeadroom(report, r);
  return headroom !== undefined && headroom < MIN_ORIGIN_HEADROOM;
};

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
const THROUGHPUT_TARGETS: readonly {
  subject: string;
  peer: string;
  min: number;
  issue?: number;
  note?: string;
}[] = [
  { subject: 'gerbang', peer: 'node-http-undici', min: 0.8, issue: 19 },
  { subject: 'gerbang-cache-hit', peer: 'node-http-page', min: 0.85, issue: 19 },
  { subject: 'gerbang-https', peer: 'nginx-https', min: 0.5, issue: 15 },
  { subject: 'gerbang-https', peer: 'caddy-https', min: 1.2, issue: 15 },
  { subject: 'gerbang-h2', peer: 'nginx-h2', min: 0.5, issue: 15 },
  {
    subject: 'gerbang-https-handshake',
    peer: 'nginx-https-handshake',
    min: 0.5,
    issue: 15,
    note: 'handshakes/s',
  },
  {
    subject: 'gerbang-gzip-hit',
    peer: 'gerbang-40k-hit',
    min: 0.9,
    issue: 15,
    note: 'a compressed hit within 10 % of an uncompressed one',
  },
  {
    subject: 'gerbang-rate-limit',
    peer: 'gerbang',
    min: 0.95,
    issue: 16,
    note: 'a rate limit costs at most 5 %',
  },
  {
    subject: 'gerbang-probe-block',
    peer: 'gerbang',
    min: 0.97,
    issue: 16,
    note: 'the probe filter in block mode costs at most 3 %',
  },
  {
    subject: 'gerbang-defacement-watch',
    peer: 'gerbang',
    min: 0.98,
    issue: 18,
    note: 'the defacement watch costs at most 2 %',
  },
  { subject: 'gerbang', peer: 'bare-proxy', min: 1, issue: 2 },
  // What Node itself reaches over TLS beside nginx: no Node gateway passes a target above its own ceiling's ratio.
  { subject: 'node-https-undici', peer: 'nginx-https', min: 0.5, note: "Node's own ceiling" },
  { subject: 'node-h2-undici', peer: 'nginx-h2', min: 0.5, note: "Node's own ceiling" },
  {
    subject: 'node-https-undici-handshake',
    peer: 'nginx-https-handshake',
    min: 0.5,
    note: "handshakes/s, Node's own ceiling",
  },
  {
    subject: 'gerbang-https',
    peer: 'node-https-undici',
    min: 0.8,
    note: 'as close to its ceiling as over HTTP',
  },
  { subject: 'gerbang-h2', peer: 'node-h2-undici', min: 0.8, note: 'as close to its ceiling as over HTTP' },
  {
    subject: 'gerbang-https-handshake',
    peer: 'node-https-undici-handshake',
    min: 0.8,
    note: 'handshakes/s, as close to its ceiling as over HTTP',
  },
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
    const note = t.note === undefined ? '' : `; ${t.note}`;
    // A side the origin may have limited cannot be judged: the ratio is printed, the verdict withheld.
    const judged =
      notComparable(report, byName.get(t.subject)) || notComparable(report, byName.get(t.peer))
        ? 'not comparable (origin headroom)'
        : verdict(ratio >= t.min);
    lines.push(
      `  ${`${t.subject} ÷ ${t.peer}`.padEnd(40)} ${ratio.toFixed(2).padStart(5)}  (target ≥ ${t.min}${issue}${note})  ${judged}`,
    );
  }
  // Issue 19: p99 at half load no more than MAX_P99_OVER_ORIGIN_MS above the origin's own at the same rate.
  for (const r of byName.values()) {
    const p99 = fixedMedian(r, (f) => f.p99Ms);
    const originP99 = fixedMedian(r, (f) => f.originP99Ms);
    const rate = fixedMedian(r, (f) => f.rate);
    if (p99 === undefined || originP99 === undefined || rate === undefined) continue;
    const over = p99 - originP99;
    lines.push(
      `  ${`${r.name}: p99 at ${rate.toFixed(0)} req/s − origin's`.padEnd(40)} ${over.toFixed(2).padStart(5)} ms ` +
        `(${p99.toFixed(2)} against ${originP99.toFixed(2)} ms; target ≤ ${MAX_P99_OVER_ORIGIN_MS} ms, ` +
        `${r.name.startsWith('gerbang') ? 'issue 19' : 'a reference'})  ${verdict(over <= MAX_P99_OVER_ORIGIN_MS)}`,
    );
  }
  // The runtime comparison (issue 15): the same build under BENCH_GERBANG_NODE against the project's node.
  for (const r of byName.values()) {
    const m = /^(gerbang(?:-cache-hit)?)-node(\d+)$/.exec(r.name);
    const base = m && byName.get(m[1]!)?.requestsPerSecond;
    if (!m || !base || !r.requestsPerSecond) continue;
    lines.push(
      `  ${`${r.name} ÷ ${m[1]}`.padEnd(40)} ${(r.requestsPerSecond / base).toFixed(2).padStart(5)}  (Node ${m[2]} ÷ ${report.node})`,
    );
  }
  const page = byName.get('node-http-page')?.requestsPerSecond;
  const nginxHit = byName.get('nginx-cache-hit')?.requestsPerSecond;
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

/** backend-direct ÷ this case, with a `!` below MIN_ORIGIN_HEADROOM (the row is not comparable). */
function headroomCell(report: BenchReport, r: CaseResult): string {
  const h = originHeadroom(report, r);
  if (h === undefined) return '-';
  return `${h.toFixed(2)}${h < MIN_ORIGIN_HEADROOM ? '!' : ''}`;
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
    'p99 @½ ms',
    'origin ×',
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
          fixedMedian(r, (f) => f.p99Ms)?.toFixed(2) ?? '-',
          headroomCell(report, r),
          r.throughputVsGerbang?.toFixed(2) ?? '-',
          r.throughputVsBaseline?.toFixed(2) ?? '-',
          r.p99VsBaseline?.toFixed(2) ?? '-',
        ]
      : [r.name, r.skipped ? 'skipped' : 'FAILED', '', '', '', '', '', '', '', '', ''],
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
    else if (notComparable(report, r))
      lines.push(
        `\n${r.name} is not comparable: the origin alone served only ${originHeadroom(report, r)?.toFixed(2)}× its ` +
          `requests/s (< ${MIN_ORIGIN_HEADROOM}×), so the origin or the load core may have been its limit`,
      );
    if (r.ok && r.errors)
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
    `origin: ${report.origin ?? 'the Node backend'}; origin ×: backend-direct ÷ the case (! below ${MIN_ORIGIN_HEADROOM}: not comparable); ` +
      (report.fixedLoadFraction
        ? `p99 @½: h2load at ${report.fixedLoadFraction} × the case's own peak of the same round, per-request times in µs`
        : 'no fixed-load runs'),
  );
  return lines.join('\n');
}

export function writeReport(file: string, report: BenchReport): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
