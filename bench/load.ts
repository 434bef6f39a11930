/** Load generators: wrk (preferred, parsed from --latency output) or autocannon in-process as a fallback; h2load for HTTP/2 and for a fixed offered rate. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { H2_WARMUP_REQUESTS_PER_STREAM, LOAD_GRACE_MS } from './defaults.js';

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  seconds: number;
  connections: number;
  threads: number;
  /** 'h2': HTTP/2 over TLS with h2load (`streams` concurrent streams per connection); default HTTP/1.1. */
  protocol?: 'h1' | 'h2';
  streams?: number;
  /** A fixed offered load (requests/s over all connections) instead of as fast as the server answers: h2load --rps. */
  rate?: number;
  /** HTTP/2: the rate seen in the warm-up, to size the run by request count (see h2load below). */
  expectedRps?: number;
}

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx/3xx answers plus socket errors and timeouts. */
  errors: number;
}

export interface LoadGenerator {
  name: 'wrk' | 'autocannon' | 'h2load';
  run(options: LoadOptions): Promise<LoadResult>;
}

const WRK_UNITS_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function wrkDurationMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m|h)$/.exec(text);
  if (!match) throw new Error(`unreadable wrk duration "${text}"`);
  return Number(match[1]) * WRK_UNITS_MS[match[2]!]!;
}

/** Parses `wrk --latency` output (wrk 4.x). */
export function parseWrk(output: string): LoadResult {
  const need = (re: RegExp, what: string): RegExpExecArray => {
    const match = re.exec(output);
    if (!match) throw new Error(`wrk output has no ${what}:\n${output}`);
    return match;
  };
  const p50 = need(/^\s+50%\s+(\S+)/m, '50% latency line')[1]!;
  const p99 = need(/^\s+99%\s+(\S+)/m, '99% latency line')[1]!;
  const requests = Number(need(/^\s+(\d+) requests in /m, 'request count')[1]);
  const rps = Number(need(/^Requests\/sec:\s+([\d.]+)/m, 'Requests/sec')[1]);
  const non2xx = Number(/^\s+Non-2xx or 3xx responses:\s+(\d+)/m.exec(output)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return {
    requests,
    requestsPerSecond: rps,
    p50Ms: wrkDurationMs(p50),
    p99Ms: wrkDurationMs(p99),
    errors: non2xx + socketErrors,
  };
}

const wrk: LoadGenerator = {
  name: 'wrk',
  run(options) {
    const args = [
      `-t${options.threads}`,
      `-c${options.connections}`,
      `-d${options.seconds}s`,
      '--latency',
      ...Object.entries(options.headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
      options.url,
    ];
    return new Promise((resolve, reject) => {
      const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (s: string) => {
        out += s;
      });
      child.stderr.setEncoding('utf8').on('data', (s: string) => {
        out += s;
      });
      // A generator that hangs (h2load against a server that never finishes its TLS or h2 setup) is killed.
      const killer = setTimeout(() => child.kill('SIGKILL'), options.seconds * 1000 + LOAD_GRACE_MS);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(killer);
        if (code !== 0)
          reject(new Error(`wrk exited ${code ?? 'on SIGKILL (hung past its duration)'}:\n${out}`));
        else {
          try {
            resolve(parseWrk(out));
          } catch (err) {
            reject(err);
          }
        }
      });
    });
  },
};

const autocannonGenerator: LoadGenerator = {
  name: 'autocannon',
  async run(options) {
    // Loaded only when needed: it runs inside this (pinned) process.
    const { default: autocannon } = await import('autocannon');
    const result = await autocannon({
      url: options.url,
      connections: options.connections,
      duration: options.seconds,
      headers: options.headers,
    });
    return {
      requests: result.requests.total,
      requestsPerSecond: result.requests.total / (result.duration || options.seconds),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.non2xx + result.errors + result.timeouts,
    };
  },
};

/**
 * Reads h2load's summary, and p50/p99 from its per-request log (microseconds: autocannon's histogram has whole
 * milliseconds, too coarse for a target of "1 ms above the origin").
 */
export function parseH2load(output: string, durationsUs: number[]): LoadResult {
  const finished = /^finished in ([\d.]+)(s|ms), ([\d.]+) req\/s/m.exec(output);
  const counts =
    /^requests: (\d+) total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/m.exec(
      output,
    );
  if (!finished || !counts) throw new Error(`h2load output has no summary:\n${output}`);
  const status = /^status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/m.exec(output);
  const sorted = durationsUs.sort((a, b) => a - b);
  const at = (q: number): number =>
    (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) / 1000;
  const bad = status ? Number(status[3]) + Number(status[4]) : 0;
  return {
    requests: Number(counts[2]),
    requestsPerSecond: Number(finished[3]),
    p50Ms: Number(at(0.5).toFixed(3)),
    p99Ms: Number(at(0.99).toFixed(3)),
    errors: Number(counts[4]) + Number(counts[5]) + Number(counts[6]) + bad,
  };
}

/** The durations (µs, third column) of h2load's --log-file, requests that got an answer only. */
function readH2loadLog(file: string): number[] {
  const out: number[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [, status, duration] = line.split('\t');
    if (status !== undefined && Number(status) > 0 && duration !== undefined) out.push(Number(duration));
  }
  return out;
}

/** h2load: HTTP/2 (default) or --h1, closed loop (`-m` streams per connection) or at a fixed rate (--rps per connection). */
export const h2load: LoadGenerator = {
  name: 'h2load',
  run(options) {
    const dir = mkdtempSync(join(tmpdir(), 'gerbang-bench-h2load-'));
    const logFile = join(dir, 'requests.tsv');
    const h2 = options.protocol === 'h2';
    const streams = h2 ? (options.streams ?? 1) : 1;
    // HTTP/2 runs are sized by request count, not time: at the end of a timed run (-D) h2load sends GOAWAY and
    // waits for the server to finish or close, and a server that does neither would hang the bench.
    const perSecond = options.rate ?? options.expectedRps;
    const count = perSecond
      ? Math.max(options.connections * streams, Math.round(perSecond * options.seconds))
      : options.connections * streams * H2_WARMUP_REQUESTS_PER_STREAM;
    const args = [
      `-t${options.threads}`,
      `-c${options.connections}`,
      `-m${streams}`,
      ...(h2 ? [`-n${count}`] : [`-D${options.seconds}`]),
      `--log-file=${logFile}`,
      ...(h2 ? [] : ['--h1']),
      ...(options.rate ? [`--rps=${(options.rate / options.connections).toFixed(3)}`] : []),
      // h2load takes the authority from the URL; a Host header replaces it (HTTP/1.1 Host, HTTP/2 :authority).
      ...Object.entries(options.headers).flatMap(([k, v]) =>
        k.toLowerCase() === 'host' ? ['-H', `:authority: ${v}`] : ['-H', `${k}: ${v}`],
      ),
      options.url,
    ];
    return new Promise<LoadResult>((resolve, reject) => {
      const child = spawn('h2load', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (s: string) => {
        out += s;
      });
      child.stderr.setEncoding('utf8').on('data', (s: string) => {
        out += s;
      });
      // A generator that hangs (h2load against a server that never finishes its TLS or h2 setup) is killed.
      // A run sized by count takes as long as the server needs: a slow one gets three times the planned time.
      const killer = setTimeout(
        () => child.kill('SIGKILL'),
        options.seconds * (h2 ? 3 : 1) * 1000 + LOAD_GRACE_MS,
      );
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(killer);
        try {
          if (code !== 0)
            throw new Error(`h2load exited ${code ?? 'on SIGKILL (hung past its duration)'}:\n${out}`);
          if (h2 && !/Application protocol: h2\b/.test(out))
            throw new Error(
              `the server did not negotiate HTTP/2 (ALPN h2):\n${out.trim().split('\n').slice(0, 8).join('\n')}`,
            );
          resolve(parseH2load(out, readH2loadLog(logFile)));
        } catch (err) {
          reject(err);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    });
  },
};

export const hasH2load = (): boolean => !spawnSync('h2load', ['--version'], { stdio: 'ignore' }).error;

/** The generator for these options: h2load for HTTP/2 and fixed rates, else the saturation generator. */
export function generatorFor(options: LoadOptions, saturation: LoadGenerator): LoadGenerator {
  return options.protocol === 'h2' || options.rate !== undefined ? h2load : saturation;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Each figure's median over several runs (errors: the total). */
export function medianOf(runs: LoadResult[]): LoadResult {
  return {
    requests: median(runs.map((r) => r.requests)),
    requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
  };
}

/** wrk when it is on PATH (and BENCH_LOAD is not "autocannon"), else autocannon. */
export function pickLoadGenerator(env: NodeJS.ProcessEnv = process.env): LoadGenerator {
  if (env.BENCH_LOAD === 'autocannon') return autocannonGenerator;
  const found = spawnSync('wrk', ['--version'], { stdio: 'ignore' });
  return found.error ? autocannonGenerator : wrk;
}
