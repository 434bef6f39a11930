/** Load generators: wrk (preferred, parsed from --latency output) or autocannon in-process as a fallback. */
import { spawn, spawnSync } from 'node:child_process';

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  seconds: number;
  connections: number;
  threads: number;
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
  name: 'wrk' | 'autocannon';
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
      child.on('error', reject);
      child.on('close', (code) => {
        if (code !== 0) reject(new Error(`wrk exited ${code}:\n${out}`));
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
