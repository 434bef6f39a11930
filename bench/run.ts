/** `npm run bench`: starts the origin, loads every case the same way (at saturation, then at half its peak), prints a table and writes bench/results/latest.json. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
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
  FIXED_LOAD_FRACTION,
  H2_STREAMS,
  QUICK_SECONDS,
  QUICK_WARMUP_SECONDS,
  RESULTS_FILE,
} from './defaults.js';
import {
  generatorFor,
  h2load,
  hasH2load,
  type LoadGenerator,
  type LoadOptions,
  medianOf,
  pickLoadGenerator,
} from './load.js';
import { type Origin, type OriginKind, startOrigin } from './origin.js';
import { ensurePeerPrograms, PEER_CASES } from './peers.js';
import { type Pinning, probe, REPO_ROOT, setAffinity, setUpPinning } from './processes.js';
import {
  addRatios,
  type BenchReport,
  type CaseResult,
  type FixedLoadResult,
  formatTable,
  type RunResult,
  writeReport,
} from './report.js';
import { samplePeakRss } from './rss.js';
import { type BenchCert, makeBenchCert } from './tls.js';

const USAGE = `usage: npm run bench -- [--quick] [--runs=N] [--only=a,b] [--skip=a,b] [--no-hosts] [--no-peers] [--origin=nginx|node] [--list]
  --quick      ${QUICK_SECONDS}s runs after ${QUICK_WARMUP_SECONDS}s warm-up (default ${DEFAULT_SECONDS}s after ${DEFAULT_WARMUP_SECONDS}s)
  --runs       rounds: every case is measured once per round (default ${DEFAULT_RUNS}); the table shows medians
  --only       run just these cases (the baseline "${BASELINE_CASE}" is added for the ratios)
  --skip       leave these cases out
  --no-hosts   leave out gerbang-10k-hosts
  --no-peers   leave out nginx, haproxy, caddy, node-http-proxy and the nginx-*/caddy-* cases
  --origin     nginx (default: Debian's nginx, static pages, on the load core) or node (the old method: bench/backend.ts)
  --list       print the cases and exit
env: BENCH_SECONDS, BENCH_WARMUP_SECONDS, BENCH_RUNS, BENCH_CONNECTIONS, BENCH_LOAD=autocannon, BENCH_NO_PIN=1,
     BENCH_PROXY_CPU, BENCH_LOAD_CPU, BENCH_KEEP=1 (keep each case's temp dir),
     BENCH_CPU_PROF=<dir> (node --cpu-prof for every Gerbang process, profiles written there),
     BENCH_GERBANG_MAIN=<main.js> (run another Gerbang build, e.g. an older commit's),
     BENCH_GERBANG_NODE=<node> (also run gerbang and gerbang-cache-hit under this runtime: gerbang-node<major>),
     BENCH_ORIGIN=nginx|node, BENCH_NO_FIXED_LOAD=1 (leave out the runs at half of each case's peak)`;

interface Settings {
  seconds: number;
  warmupSeconds: number;
  connections: number;
  runs: number;
  cases: BenchCase[];
  origin: OriginKind;
  fixedLoad: boolean;
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
      origin: { type: 'string' },
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
  const origin = values.origin ?? env.BENCH_ORIGIN ?? 'nginx';
  if (origin !== 'nginx' && origin !== 'node')
    throw new Error(`--origin / BENCH_ORIGIN="${origin}": nginx or node`);
  const fixedLoad = env.BENCH_NO_FIXED_LOAD !== '1';
  return { seconds, warmupSeconds, connections, runs, cases, origin, fixedLoad };
}

/** Stop functions of whatever is running, for Ctrl-C. */
const running = new Set<() => Promise<void>>();

/** The run's certificate, made on first use (only TLS cases ask) and removed at the end. */
let benchCert: BenchCert | undefined;
const cert = (): BenchCert => {
  benchCert ??= makeBenchCert();
  return benchCert;
};

/** The case's own load shape (HTTP/2 streams) on top of the run's. */
function loadOptionsOf(benchCase: BenchCase, base: LoadOptions): LoadOptions {
  return benchCase.protocol === 'h2' ? { ...base, protocol: 'h2', streams: H2_STREAMS } : base;
}

/** Cases whose p99 at half load is also set against the origin's, beside Gerbang's. */
const P99_REFERENCE_CASES: readonly string[] = ['node-http-undici', 'nginx'];

/**
 * The same case at a fixed offered load, FIXED_LOAD_FRACTION of the peak it just reached: the latency a citizen
 * feels when the gateway is busy but not overrun. For `gerbang`, the origin alone at that same rate too, the
 * reference of issue 19's "p99 at half load no more than 1 ms above the origin's"; the same for the Node ceiling
 * and nginx, which show what a Node proxy and a C one reach on that measure.
 */
async function measureFixedLoad(
  benchCase: BenchCase,
  options: LoadOptions,
  peak: number,
  origin: Origin,
): Promise<FixedLoadResult> {
  const rate = Math.max(1, Math.round(peak * FIXED_LOAD_FRACTION));
  process.stderr.write(`[${benchCase.name}] fixed load ${rate} req/s for ${options.seconds}s (h2load)\n`);
  const at = await h2load.run({ ...options, rate });
  const fixed: FixedLoadResult = {
    rate,
    achieved: at.requestsPerSecond,
    p50Ms: at.p50Ms,
    p99Ms: at.p99Ms,
    errors: at.errors,
  };
  if (
    benchCase.name === GERBANG_CASE ||
    benchCase.name.startsWith(`${GERBANG_CASE}-node`) ||
    P99_REFERENCE_CASES.includes(benchCase.name)
  ) {
    const o = await h2load.run({ ...options, url: `${origin.url}/`, headers: {}, protocol: 'h1', rate });
    fixed.originP50Ms = o.p50Ms;
    fixed.originP99Ms = o.p99Ms;
  }
  process.stderr.write(
    `[${benchCase.name}] at ${rate} req/s: p50 ${fixed.p50Ms} ms, p99 ${fixed.p99Ms} ms` +
      `${fixed.originP99Ms === undefined ? '' : ` (origin alone: p99 ${fixed.originP99Ms} ms)`}\n`,
  );
  return fixed;
}

async function runCase(
  benchCase: BenchCase,
  origin: Origin,
  pinning: Pinning,
  settings: Settings,
  load: LoadGenerator,
  lastRound: boolean,
): Promise<CaseResult> {
  const backendUrl = origin.url;
  const backendPid = origin.pid;
  const result: CaseResult = {
    name: benchCase.name,
    description: benchCase.description,
    ok: false,
    ...(benchCase.origin && { origin: benchCase.origin }),
    ...(benchCase.unit && { unit: benchCase.unit }),
  };
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
    started = await benchCase.start({ backendUrl, backendPid, pinning, workDir, cert });
    result.startMs = Math.round(performance.now() - startedAt);
    process.stderr.write(`[${benchCase.name}] ready in ${result.startMs} ms\n`);
    running.add(started.stop);
    const check = await probe(started.url, started.headers);
    const bytes = started.bodyBytes ?? BODY_BYTES;
    if (check.status !== 200 || (!started.anyBodyBytes && check.bytes !== bytes)) {
      throw new Error(
        `a probe GET ${started.url} (${JSON.stringify(started.headers)}) answered HTTP ${check.status} with ` +
          `${check.bytes} bytes, not 200 with the page's ${started.anyBodyBytes ? 'encoded' : bytes} bytes`,
      );
    }
    const wrong = await started.verify?.();
    if (wrong) throw new Error(`${benchCase.name} is not measuring what it claims: ${wrong}`);
    const options = loadOptionsOf(benchCase, {
      url: started.url,
      headers: started.headers,
      seconds: settings.warmupSeconds,
      connections: settings.connections,
      threads: DEFAULT_THREADS,
    });
    const generator = generatorFor(options, load);
    process.stderr.write(`[${benchCase.name}] warm-up ${settings.warmupSeconds}s (${generator.name})\n`);
    const warm = await generator.run(options);
    if (benchCase.protocol === 'h2') options.expectedRps = warm.requestsPerSecond;
    const runs: RunResult[] = [];
    for (let i = 1; i <= settings.runs; i++) {
      await started.beforeRun?.();
      process.stderr.write(
        `[${benchCase.name}] measuring ${settings.seconds}s (run ${i}/${settings.runs})\n`,
      );
      const rss = started.pid === undefined ? undefined : samplePeakRss(started.pid);
      const measured: RunResult = await generator.run({ ...options, seconds: settings.seconds });
      if (rss) measured.peakRssKiB = rss.stop();
      if (measured.requests === 0 || measured.errors >= measured.requests)
        throw new Error(`no request of the measured run was answered (${measured.errors} errors)`);
      const extras = await started.afterRun?.();
      if (extras) measured.extras = extras;
      if (settings.fixedLoad && !benchCase.noFixedLoad && measured.requestsPerSecond > 0)
        // A failed fixed-load run costs the case its p99 @½, not its saturation figures.
        measured.fixed = await measureFixedLoad(
          benchCase,
          { ...options, seconds: settings.seconds },
          measured.requestsPerSecond,
          origin,
        ).catch((err: unknown) => {
          process.stderr.write(`[${benchCase.name}] fixed-load run failed: ${(err as Error).message}\n`);
          return undefined;
        });
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
      const extras = await started.afterAll((seconds) => generator.run({ ...options, seconds }));
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
  if (!hasH2load()) {
    // Without h2load: no HTTP/2 cases and no fixed-load runs, said once here rather than as failures.
    settings.fixedLoad = false;
    process.stderr.write(
      'bench: h2load (apt-get install nghttp2-client) missing: no HTTP/2 cases, no fixed-load runs\n',
    );
    settings.cases = settings.cases.filter((c) => c.protocol !== 'h2');
  }
  process.stderr.write(
    `bench: ${settings.cases.map((c) => c.name).join(', ')}; ${load.name}; pinning ${pinning.note}\n`,
  );

  // The origin inherits the bench's own affinity: the load core, beside the load generator.
  const backend = await startOrigin(settings.origin);
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
        const result = await runCase(benchCase, backend, pinning, oneRun, load, lastRound);
        if (before === undefined) results.push(result);
        else mergeRound(before, result);
      }
    }
  } finally {
    running.delete(backend.stop);
    await backend.stop();
    benchCert?.remove();
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
    origin: backend.note,
    fixedLoadFraction: settings.fixedLoad ? FIXED_LOAD_FRACTION : undefined,
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
