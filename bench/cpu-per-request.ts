/** `npx tsx bench/cpu-per-request.ts`: CPU µs per request of Gerbang proxied, of a cache hit, over HTTPS and HTTP/2, and of their Node ceilings, a figure other work on a shared machine moves far less than req/s. */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { type BenchCase, CASES, gerbangBuildCase, makeWorkDir, type RunningCase } from './cases.js';
import {
  CPU_CASES,
  CPU_CONNECTIONS,
  CPU_REQUESTS,
  CPU_ROUND_TIMEOUT_MS,
  CPU_ROUNDS,
  H2_STREAMS,
} from './defaults.js';
import { startOrigin } from './origin.js';
import { type Pinning, probe, setUpPinning } from './processes.js';
import { type BenchCert, makeBenchCert } from './tls.js';

const AGAINST_SUFFIX = '@against';
/** Issue 19's targets: [case, its ceiling, the least throughput ratio]. */
const CEILINGS: [string, string, number][] = [
  ['gerbang', 'node-http-undici', 0.8],
  ['gerbang-cache-hit', 'node-http-page', 0.85],
  [`gerbang${AGAINST_SUFFIX}`, 'node-http-undici', 0.8],
  [`gerbang-cache-hit${AGAINST_SUFFIX}`, 'node-http-page', 0.85],
  // Not issue targets: how close each protocol's path is to the same Node ceiling (bench/README.md's 0.8).
  ['gerbang-https', 'node-https-undici', 0.8],
  ['gerbang-h2', 'node-h2-undici', 0.8],
];

function flag(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

/**
 * CPU time of every thread of `pid` (V8's GC and compiler threads, libuv's pool), in ns, from the scheduler's own
 * accounting (/proc/<pid>/task/<tid>/schedstat, first field): nanosecond resolution, where utime/stime tick at 10 ms.
 * Threads that exit between two readings take their time with them; Node's threads live as long as the process.
 */
function cpuNs(pid: number): number {
  let total = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return total;
}

/**
 * `n` requests over `connections` keep-alive connections with h2load (C, on the load core), as fast as answered:
 * HTTP/1.1 (over TLS for an https URL), or HTTP/2 with the bench's streams per connection for an h2 case.
 */
function load(subject: Subject, n: number, connections: number): Promise<number> {
  const running = subject.running;
  const headers = Object.entries(running.headers).flatMap(([k, v]) =>
    k.toLowerCase() === 'host' ? ['-H', `:authority: ${v}`] : ['-H', `${k}: ${v}`],
  );
  const protocol = subject.h2 ? ['-m', String(H2_STREAMS)] : ['--h1'];
  const args = [...protocol, '-n', String(n), '-c', String(connections), '-t', '1', ...headers, running.url];
  return new Promise((resolve, reject) => {
    const child = spawn('h2load', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), CPU_ROUND_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ok = /(\d+) succeeded/.exec(out)?.[1];
      const non2xx = /(\d+) 2xx/.exec(out)?.[1];
      if (code !== 0 || ok === undefined) reject(new Error(`h2load exited ${code}:\n${out}`));
      else if (Number(non2xx) !== n) reject(new Error(`only ${non2xx} of ${n} answers were 2xx:\n${out}`));
      else resolve(Number(ok));
    });
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

/**
 * `--against=<dist/src/main.js of another build>` adds `gerbang@against` and `gerbang-cache-hit@against`: the
 * same cases from that build, taking turns with this one's in every round (a change's before and after).
 */
const AGAINST = flag('against');

function caseNamed(name: string): BenchCase | undefined {
  if (AGAINST !== undefined && name.endsWith(AGAINST_SUFFIX)) {
    const base = name.slice(0, -AGAINST_SUFFIX.length);
    if (base === 'gerbang' || base === 'gerbang-cache-hit')
      return gerbangBuildCase(name, AGAINST, base === 'gerbang-cache-hit');
  }
  return CASES.find((c) => c.name === name);
}

interface Subject {
  name: string;
  running: RunningCase;
  pid: number;
  workDir: string;
  /** HTTP/2 (h2load with streams); otherwise HTTP/1.1. */
  h2: boolean;
  /** CPU µs per request of each measured round. */
  rounds: number[];
}

/** The run's certificate, made on first use (only TLS cases ask for it) and removed at the end. */
let certificate: BenchCert | undefined;
const cert = (): BenchCert => {
  certificate ??= makeBenchCert();
  return certificate;
};

async function start(
  name: string,
  backendUrl: string,
  backendPid: number | undefined,
  pinning: Pinning,
): Promise<Subject> {
  const benchCase = caseNamed(name);
  if (benchCase === undefined) throw new Error(`no bench case ${name} (npx tsx bench/run.ts --list)`);
  // The -handshake cases: their cost is a connection's, not a request's.
  if (benchCase.noFixedLoad)
    throw new Error(
      `${name}: a new connection per request is not what cpu-per-request measures (keep-alive only)`,
    );
  const workDir = makeWorkDir(`cpu-${name}`);
  const running = await benchCase.start({
    backendUrl,
    backendPid,
    pinning,
    workDir,
    cert,
  });
  const h2 = benchCase.protocol === 'h2';
  const subject: Subject = { name, running, pid: running.pid ?? 0, workDir, h2, rounds: [] };
  if (running.pid === undefined) {
    await stop(subject);
    throw new Error(`${name} reports no pid`);
  }
  const answer = await probe(running.url, running.headers);
  const wrong = answer.status === 200 ? await running.verify?.() : `answered the probe ${answer.status}`;
  if (wrong !== undefined) {
    await stop(subject);
    throw new Error(`${name}: ${wrong}`);
  }
  return subject;
}

async function stop(subject: Subject): Promise<void> {
  await subject.running.stop();
  rmSync(subject.workDir, { recursive: true, force: true });
}

/** One measured round of `requests` on one subject: its CPU µs per request. */
async function round(subject: Subject, requests: number, connections: number): Promise<number> {
  const before = cpuNs(subject.pid);
  await load(subject, requests, connections);
  return (cpuNs(subject.pid) - before) / 1000 / requests;
}

/** A whole number of at least 1 from `--name=`, or the default; anything else stops the run, naming the flag. */
function countFlag(name: string, fallback: number): number {
  const text = flag(name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}=${text}: a whole number of at least 1`);
  return n;
}

const requests = countFlag('requests', CPU_REQUESTS);
const rounds = countFlag('rounds', CPU_ROUNDS);
const connections = countFlag('connections', CPU_CONNECTIONS);
const names = flag('only')?.split(',') ?? [...CPU_CASES];
if (AGAINST !== undefined)
  for (const base of ['gerbang', 'gerbang-cache-hit'])
    if (names.includes(base)) names.splice(names.indexOf(base) + 1, 0, `${base}${AGAINST_SUFFIX}`);
// Before the origin starts: it inherits the load core; each case goes to the proxy core.
const pinning = setUpPinning();
const origin = await startOrigin('nginx');
const subjects: Subject[] = [];
try {
  // Every case runs the whole time (idle but for its own rounds), so the rounds can take turns: a burst of
  // other work on the machine then weighs on every case alike, not on whichever ran during it.
  for (const name of names) subjects.push(await start(name, origin.url, origin.pid, pinning));
  // Warm-up: the JIT, the pools, the cache entry.
  for (const subject of subjects) await round(subject, requests, connections);
  for (let r = 0; r < rounds; r++) {
    for (const subject of subjects) {
      const us = await round(subject, requests, connections);
      subject.rounds.push(us);
      process.stderr.write(`  round ${r + 1} ${subject.name}: ${us.toFixed(2)} µs/request\n`);
    }
  }
  // The least a round cost is the least disturbed by the other work on the machine: others only add to it.
  const least = new Map(subjects.map((s) => [s.name, Math.min(...s.rounds)]));
  for (const s of subjects) {
    console.log(
      `${s.name.padEnd(20)} min ${least.get(s.name)?.toFixed(2).padStart(7)}  median ${median(s.rounds).toFixed(2).padStart(7)} µs/request  (${rounds} × ${requests} requests, ${connections} connections)`,
    );
  }
  // Bound by CPU on its core, a case's requests/s is 1 / its µs per request: the issue-19 targets as CPU ratios.
  for (const [subject, ceiling, target] of CEILINGS) {
    const a = least.get(subject);
    const b = least.get(ceiling);
    if (a === undefined || b === undefined) continue;
    const ratio = b / a;
    console.log(
      `${subject} ÷ ${ceiling}: ${ratio.toFixed(2)}× (CPU-bound throughput; target ≥ ${target}×: ${ratio >= target ? 'met' : 'MISSED'})`,
    );
  }
} finally {
  for (const subject of subjects) await stop(subject);
  await origin.stop();
  certificate?.remove();
}
