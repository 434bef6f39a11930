/** Starts a real Prometheus (Debian's /usr/bin/prometheus) on a free loopback port, scraping given targets every second. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from './free-port.js';

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? 'prometheus';
export const PROMTOOL_BIN = process.env.PROMTOOL_BIN ?? 'promtool';

export interface ScrapeJob {
  job: string;
  /** `127.0.0.1:<port>` each; metrics_path is /metrics. */
  targets: string[];
}

export interface PrometheusOptions {
  jobs: ScrapeJob[];
  /** Absolute paths of rule files to load (evaluated every second). */
  ruleFiles?: string[];
  startTimeoutMs?: number;
}

/** One element of an instant query's result (vector) or range result (matrix). */
export interface SeriesResult {
  metric: Record<string, string>;
  value?: [number, string];
  values?: Array<[number, string]>;
}

export interface QueryAnswer {
  status: 'success' | 'error';
  errorType?: string;
  error?: string;
  data?: { resultType: 'vector' | 'matrix' | 'scalar' | 'string'; result: SeriesResult[] | [number, string] };
}

export interface RuleState {
  name: string;
  type: 'alerting' | 'recording';
  query: string;
  health: string;
  lastError?: string;
}

export interface RunningPrometheus {
  readonly url: string;
  /** An instant query through /api/v1/query (never throws on a PromQL error: read `status`). */
  query(expr: string): Promise<QueryAnswer>;
  /** Every rule Prometheus loaded, with its last evaluation health. */
  rules(): Promise<RuleState[]>;
  /** Resolves once every target of every job has been scraped successfully (`up == 1`). */
  waitForScrape(timeoutMs?: number): Promise<void>;
  /** What Prometheus wrote to stderr (its log), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 20_000;
const SCRAPE_TIMEOUT_MS = 20_000;
const POLL_MS = 200;
const STOP_TIMEOUT_MS = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'gerbang-prometheus-'));
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(
    configFile,
    stringify({
      global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
      rule_files: options.ruleFiles ?? [],
      scrape_configs: options.jobs.map((j) => ({
        job_name: j.job,
        metrics_path: '/metrics',
        static_configs: [{ targets: j.targets }],
      })),
    }),
  );
  // Never a fixed port: Debian's package may run a system Prometheus on :9090.
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  let spawnError: Error | undefined;
  child.on('error', (err) => {
    spawnError = err;
  });

  async function api<T>(path: string): Promise<T> {
    const res = await fetch(url + path);
    return (await res.json()) as T;
  }

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited(child);
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? START_TIMEOUT_MS);
  for (;;) {
    if (spawnError) {
      await stop();
      throw new Error(
        `cannot start ${PROMETHEUS_BIN}: ${spawnError.message} (run: node tests/system-deps.mjs)`,
      );
    }
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`prometheus exited with ${child.exitCode}:\n${stderr}`);
    }
    try {
      const res = await fetch(`${url}/-/ready`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus not ready on ${url} in time:\n${stderr}`);
    }
    await sleep(POLL_MS);
  }

  const query = (expr: string) =>
    api<QueryAnswer>(`/api/v1/query?query=${encodeURIComponent(expr)}&time=${Date.now() / 1000}`);

  return {
    url,
    query,
    async rules() {
      const answer = await api<{ data: { groups: Array<{ rules: RuleState[] }> } }>('/api/v1/rules');
      return answer.data.groups.flatMap((g) => g.rules);
    },
    async waitForScrape(timeoutMs = SCRAPE_TIMEOUT_MS) {
      const expected = options.jobs.reduce((n, j) => n + j.targets.length, 0);
      const until = Date.now() + timeoutMs;
      for (;;) {
        const answer = await query('count(up == 1)');
        const result = answer.data?.result as SeriesResult[] | undefined;
        if (Number(result?.[0]?.value?.[1] ?? 0) >= expected) return;
        if (Date.now() > until)
          throw new Error(`prometheus did not scrape all ${expected} targets in time:\n${stderr}`);
        await sleep(POLL_MS);
      }
    },
    log: () => stderr,
    stop,
  };
}
