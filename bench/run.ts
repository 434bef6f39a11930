/** `npm run bench`: starts the backend, loads every case the same way, prints a table and writes bench/results/latest.json. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Extras } from './case-types.js';
import {
  BASELINE_CASE,
  type BenchCase,
  CASES,
  CaseSkipped,
  GERBANG_CASE,
  makeWorkDir,
  type RunningCase,
} from './cases.js';
import {
  BODY_BYTES,
  DEFAULT_CONNECTIONS,
  DEFAULT_RUNS,
  DEFAULT_SECONDS,
  DEFAULT_THREADS,
  DEFAULT_WARMUP_SECONDS,
  QUICK_SECONDS,
  QUICK_WARMUP_SECONDS,
  RESULTS_FILE,
} from './defaults.js';
import {
  type LoadGenerator,
  type LoadOptions,
  type LoadResult,
  medianOf,
  pickLoadGenerator,
} from './load.js';
import { ensurePeerPrograms, PEER_CASES } from './peers.js';
import {
  benchScript,
  type Pinning,
  probe,
  REPO_ROOT,
  setAffinity,
  setUpPinning,
  startNode,
  stopChild,
  waitForIpcPort,
} from './processes.js';
import { addRatios, type BenchReport, type CaseResult, formatTable, writeReport } from './report.js';
import { samplePeakRss } from './rss.js';

const USAGE = `usage: npm run bench -- [--quick] [--runs=N] [--only=a,b] [--skip=a,b] [--no-hosts] [--no-peers] [--list]
  --quick      ${QUICK_SECONDS}s runs after ${QUICK_WARMUP_SECONDS}s warm-up (default ${DEFAULT_SECONDS}s after ${DEFAULT_WARMUP_SECONDS}s)
  --runs       rounds: every case is measured once per round (default ${DEFAULT_RUNS}); the table shows medians
  --only       run just these cases (the baseline "${BASELINE_CASE}" is added for the ratios)
  --skip       leave these cases out
  --no-hosts   leave out gerbang-10k-hosts
  --no-peers   leave out nginx, haproxy, caddy, node-http-proxy, nginx-cache-hit
  --list       print the cases and exit
env: BENCH_SECONDS, BENCH_WARMUP_SECONDS, BENCH_RUNS, BENCH_CONNECTIONS, BENCH_LOAD=autocannon, BENCH_NO_PIN=1,
     BENCH_PROXY_CPU, BENCH_LOAD_CPU, BENCH_KEEP=1 (keep each case's temp dir),
     BENCH_CPU_PROF=<dir> (node --cpu-prof for every Gerbang process, profiles written there),
     BENCH_GERBANG_MAIN=<main.js> (run another Gerbang build, e.g. an older commit's)`;

interface Settings {
  seconds: number;
  warmupSeconds: number;
  connections: number;
  runs: number;
  cases: BenchCase[];
}

function positiveNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}="${value}" is not a positive number`);
  return n;
}

function readSettings(argv: string[], env: NodeJS.ProcessEnv): Settings | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      only: { type: 'string' },
      skip: { type: 'string' },
      'no-hosts': { type: 'boolean', default: false },
      'no-peers': { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return undefined;
  }
  if (values.list) {
    for (const c of CASES) console.log(`${c.name.padEnd(28)} ${c.optIn ? '(opt-in) ' : ''}${c.description}`);
    return undefined;
  }
  const names = (list: string | undefined) => (list ? list.split(',').map((s) => s.trim()) : []);
  const only = names(values.only);
  const skip = names(values.skip);
  if (values['no-hosts']) skip.push('gerbang-10k-hosts');
  if (values['no-peers']) skip.push(...PEER_CASES.map((p) => p.benchCase.name));
  for (const name of [...only, ...skip]) {
    if (!CASES.some((c) => c.name === name)) throw new Error(`unknown case "${name}" (see --list)`);
  }
  // The ratios need both references.
  for (const reference of [BASELINE_CASE, GERBANG_CASE])
    if (only.length > 0 && !only.includes(reference)) only.push(reference);
  const cases = CASES.filter((c) =>
    only.length > 0 ? only.includes(c.name) : !c.optIn && !skip.includes(c.name),
  ).filter((c) => !skip.includes(c.name));

  const seconds = positiveNumber(
    'BENCH_SECONDS',
    env.BENCH_SECONDS,
    values.quick ? QUICK_SECONDS : DEFAULT_SECONDS,
  );
  const warmupSeconds = positiveNumber(
    'BENCH_WARMUP_SECONDS',
    env.BENCH_WARMUP_SECONDS,
    values.quick ? QUICK_WARMUP_SECONDS : Math.min(DEFAULT_WARMUP_SECONDS, seconds),
  );
  const connections = positiveNumber('BENCH_CONNECTIONS', env.BENCH_CONNECTIONS, DEFAULT_CONNECTIONS);
  const runs = Math.round(positiveNumber('--runs / BENCH_RUNS', values.runs ?? env.BENCH_RUNS, DEFAULT_RUNS));
  return { seconds, warmupSeconds, connections, runs, cases };
}

/** Stop functions of whatever is running, for Ctrl-C. */
const running = new Set<() => Promise<void>>();

async function startBackend(
  pinning: Pinning,
): Promise<{ url: string; pid: number | undefined; stop: () => Promise<void> }> {
  // On the load core, beside the load generator (see README: the proxy gets a core to itself).
  const child = startNode({ args: benchScript('backend'), ipc: true, cpu: pinning.loadCpu });
  const port = await waitForIpcPort(child, 'backend');
  return { url: `http://127.0.0.1:${port}`, pid: child.pid, stop: () => stopChild(child) };
}

async function runCase(
  benchCase: BenchCase,
  backendUrl: string,
  backendPid: number | undefined,
  pinning: Pinning,
  settings: Settings,
  load: LoadGenerator,
  lastRound: boolean,
): Promise<CaseResult> {
  const result: CaseResult = { name: benchCase.name, description: benchCase.description, ok: false };
  const workDir = makeWorkDir(benchCase.name);
  let started: RunningCase | undefined;
  // An unpinned case: the bench (and so wrk), the backend and the proxy share every core, for this case only.
  const float = benchCase.unpinned && pinning.allCpus !== undefined && pinning.loadCpu !== undefined;
  const pinLoad = (cpus: number | string | undefined): void => {
    if (cpus === undefined) return;
    setAffinity(process.pid, cpus);
    if (backendPid !== undefined) setAffinity(backendPid, cpus);
  };
  if (float) pinLoad(pinning.allCpus);
  try {
    process.stderr.write(`\n[${benchCase.name}] starting: ${benchCase.description}\n`);
    const startedAt = performance.now();
    started = await benchCase.start({ backendUrl, backendPid, pinning, workDir });
    result.startMs = Math.round(performance.now() - startedAt);
    process.stderr.write(`[${benchCase.name}] ready in ${result.startMs} ms\n`);
    running.add(started.stop);
    const check = await probe(started.url, started.headers);
    if (check.status !== 200 || check.bytes !== BODY_BYTES) {
      throw new Error(
        `a probe GET ${started.url} (${JSON.stringify(started.headers)}) answered HTTP ${check.status} with ` +
          `${check.bytes} bytes, not 200 with the backend's ${BODY_BYTES} bytes`,
      );
    }
    const wrong = await started.verify?.();
    if (wrong) throw new Error(`${benchCase.name} is not measuring what it claims: ${wrong}`);
    const options: LoadOptions = {
      url: started.url,
      headers: started.headers,
      seconds: settings.warmupSeconds,
      connections: settings.connections,
      threads: DEFAULT_THREADS,
    };
    process.stderr.write(`[${benchCase.name}] warm-up ${settings.warmupSeconds}s\n`);
    await load.run(options);
    const runs: (LoadResult & { peakRssKiB?: number; extras?: Extras })[] = [];
    for (let i = 1; i <= settings.runs; i++) {
      await started.beforeRun?.();
      process.stderr.write(
        `[${benchCase.name}] measuring ${settings.seconds}s (run ${i}/${settings.runs})\n`,
      );
      const rss = started.pid === undefined ? undefined : samplePeakRss(started.pid);
      const measured: (typeof runs)[number] = await load.run({ ...options, seconds: settings.seconds });
      if (rss) measured.peakRssKiB = rss.stop();
      const extras = await started.afterRun?.();
      if (extras) measured.extras = extras;
      process.stderr.write(
        `[${benchCase.name}] ${measured.requestsPerSecond.toFixed(0)} req/s, p50 ${measured.p50Ms} ms, p99 ${measured.p99Ms} ms` +
          `${measured.peakRssKiB ? `, peak RSS ${(measured.peakRssKiB / 1024).toFixed(1)} MiB` : ''}` +
          `${extras ? ` ${JSON.stringify(extras)}` : ''}\n`,
      );
      runs.push(measured);
    }
    const peaks = runs.flatMap((r) => (r.peakRssKiB === undefined ? [] : [r.peakRssKiB]));
    Object.assign(result, {
      ok: true,
      ...medianOf(runs),
      ...(peaks.length > 0 && { peakRssKiB: Math.max(...peaks) }),
      runs,
    });
    if (started.afterAll && lastRound) {
      process.stderr.write(`[${benchCase.name}] extra measurements\n`);
      const extras = await started.afterAll((seconds) => load.run({ ...options, seconds }));
      result.extras = extras;
      process.stderr.write(`[${benchCase.name}] ${JSON.stringify(extras)}\n`);
    }
  } catch (err) {
    if (err instanceof CaseSkipped) {
      result.skipped = err.message;
      process.stderr.write(`[${benchCase.name}] skipped: ${result.skipped}\n`);
    } else {
      result.error = (err as Error).message;
      process.stderr.write(`[${benchCase.name}] FAILED: ${result.error}\n`);
    }
  } finally {
    if (started) {
      running.delete(started.stop);
      await started.stop();
    }
    if (float) pinLoad(pinning.loadCpu);
    if ((result.ok || result.skipped) && process.env.BENCH_KEEP !== '1')
      rmSync(workDir, { recursive: true, force: true });
    else process.stderr.write(`[${benchCase.name}] files kept in ${workDir}\n`);
  }
  return result;
}

/** Adds a later round's run to a case's result: figures are medians over every round, the peak RSS the largest. */
function mergeRound(into: CaseResult, round: CaseResult): void {
  if (!round.ok) {
    Object.assign(into, { ok: false, error: round.error, skipped: round.skipped });
    return;
  }
  const runs = [...(into.runs ?? []), ...(round.runs ?? [])];
  const peaks = [into.peakRssKiB, round.peakRssKiB].flatMap((p) => (p === undefined ? [] : [p]));
  Object.assign(into, {
    ...medianOf(runs),
    runs,
    ...(peaks.length > 0 && { peakRssKiB: Math.max(...peaks) }),
    ...(round.extras && { extras: round.extras }),
  });
}

async function main(): Promise<number> {
  const settings = readSettings(process.argv.slice(2), process.env);
  if (!settings) return 0;
  const pinning = setUpPinning();
  const programs = PEER_CASES.filter((p) => settings.cases.includes(p.benchCase)).flatMap((p) =>
    p.program ? [p.program] : [],
  );
  ensurePeerPrograms([...new Set(programs)], (line) => process.stderr.write(line));
  const load = pickLoadGenerator();
  process.stderr.write(
    `bench: ${settings.cases.map((c) => c.name).join(', ')}; ${load.name}; pinning ${pinning.note}\n`,
  );

  const backend = await startBackend(pinning);
  running.add(backend.stop);
  const results: CaseResult[] = [];
  // Rounds: each case runs once per round, so a slow spell of this shared machine (they last minutes) falls on
  // every case alike instead of on whichever case was measuring then; the ratios compare like with like.
  const oneRun = { ...settings, runs: 1 };
  try {
    for (let round = 1; round <= settings.runs; round++) {
      process.stderr.write(`\nbench: round ${round} of ${settings.runs}\n`);
      for (const benchCase of settings.cases) {
        const before = results.find((r) => r.name === benchCase.name);
        if (before !== undefined && !before.ok) continue;
        const lastRound = round === settings.runs;
        const result = await runCase(benchCase, backend.url, backend.pid, pinning, oneRun, load, lastRound);
        if (before === undefined) results.push(result);
        else mergeRound(before, result);
      }
    }
  } finally {
    running.delete(backend.stop);
    await backend.stop();
  }

  addRatios(results, BASELINE_CASE, GERBANG_CASE);
  const report: BenchReport = {
    date: new Date().toISOString(),
    node: process.version,
    loadGenerator: load.name,
    seconds: settings.seconds,
    warmupSeconds: settings.warmupSeconds,
    connections: settings.connections,
    threads: DEFAULT_THREADS,
    runs: settings.runs,
    pinning: pinning.note,
    baseline: BASELINE_CASE,
    reference: GERBANG_CASE,
    cases: results,
  };
  const file = join(REPO_ROOT, RESULTS_FILE);
  writeReport(file, report);
  console.log(`\n${formatTable(report)}\nwritten to ${file}`);
  return results.every((r) => r.ok || r.skipped) ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\nbench: ${signal}, stopping children\n`);
    Promise.allSettled([...running].map((stop) => stop())).finally(() => process.exit(130));
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`bench: ${(err as Error).message ?? err}`);
    process.exitCode = 1;
  },
);
