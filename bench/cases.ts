/** The bench cases: each starts one thing to load (a proxy in front of the shared backend, or the backend itself). */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  ADMIN_TOKEN_LENGTH,
  BENCH_HOST,
  BENCH_ZONE,
  EXTRA_HOSTS,
  READY_POLL_MS,
  READY_TIMEOUT_10K_MS,
  READY_TIMEOUT_MS,
} from './defaults.js';
import {
  benchScript,
  freePort,
  logTail,
  type Pinning,
  REPO_ROOT,
  startNode,
  stopChild,
  waitForHttp200,
  waitForIpcPort,
} from './processes.js';

/** What every case gets: the running backend and where to put its files. */
export interface BenchContext {
  backendUrl: string;
  pinning: Pinning;
  /** A fresh temporary directory for this case (config, state, logs). */
  workDir: string;
}

/** A started case: where to send the load, with which headers, and how to stop it. */
export interface RunningCase {
  url: string;
  headers: Record<string, string>;
  /** Files worth a look afterwards (e.g. the proxy's log). */
  logFile?: string;
  stop(): Promise<void>;
}

export interface BenchCase {
  name: string;
  description: string;
  /** Left out unless named with --only (or a flag): slow or needing extra programs. */
  optIn?: boolean;
  start(context: BenchContext): Promise<RunningCase>;
}

export function makeWorkDir(caseName: string): string {
  return mkdtempSync(join(tmpdir(), `gerbang-bench-${caseName}-`));
}

const backendDirect: BenchCase = {
  name: 'backend-direct',
  description: 'the backend alone: the ceiling any proxy in front of it is measured against',
  async start({ backendUrl }) {
    return { url: `${backendUrl}/`, headers: {}, stop: async () => {} };
  },
};

const bareProxy: BenchCase = {
  name: 'bare-proxy',
  description:
    'a bare @fastify/http-proxy app, one static upstream, logger off: the floor of a fastify proxy',
  async start({ backendUrl, pinning }) {
    const child = startNode({
      args: benchScript('bare-proxy'),
      env: { ...process.env, BENCH_UPSTREAM: backendUrl },
      cpu: pinning.proxyCpu,
      ipc: true,
    });
    try {
      const port = await waitForIpcPort(child, 'bare-proxy');
      return { url: `http://127.0.0.1:${port}/`, headers: {}, stop: () => stopChild(child) };
    } catch (err) {
      await stopChild(child);
      throw err;
    }
  },
};

/** The Gerbang entry point the cases run: built by `npm run build` from src/main.ts. */
export const GERBANG_MAIN = join(REPO_ROOT, 'dist', 'src', 'main.js');

interface GerbangCaseOptions {
  name: string;
  description: string;
  extraHosts: number;
  /** The host the load is sent to. */
  loadHost: (extraHosts: number) => string;
  readyTimeoutMs: number;
  /** Turns the shared cache on for the routes; off, every request is proxied (the backend's page is cacheable). */
  cache?: boolean;
}

function gerbangCase(options: GerbangCaseOptions): BenchCase {
  return {
    name: options.name,
    description: options.description,
    async start({ backendUrl, pinning, workDir }) {
      if (!existsSync(GERBANG_MAIN)) {
        throw new Error(
          `${GERBANG_MAIN} does not exist: build Gerbang first (npm run build; src/main.ts must exist and compile)`,
        );
      }
      const cache = { enabled: options.cache ?? false };
      const route = (host: string) => ({ host, routes: [{ path: '/', targets: [backendUrl], cache }] });
      const hosts = [route(BENCH_HOST)];
      for (let i = 0; i < options.extraHosts; i++) hosts.push(route(`h${i}.${BENCH_HOST}`));
      const configFile = join(workDir, 'gerbang.yaml');
      // No anchors/aliases for shared objects: Gerbang's YAML parser (rightly) caps the alias count.
      // The bench backend is on loopback, which the SSRF policy refuses unless allowed.
      const backends = { allow: ['127.0.0.0/8'] };
      writeFileSync(
        configFile,
        stringify({ zones: [BENCH_ZONE], backends, hosts }, { aliasDuplicateObjects: false }),
      );

      const [httpPort, httpsPort, adminPort] = [await freePort(), await freePort(), await freePort()];
      const logFile = join(workDir, 'gerbang.log');
      const logFd = openSync(logFile, 'a');
      // The parent's GERBANG_* settings (a Redis URL, ACME...) must not leak into the measurement.
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GERBANG_')));
      const child = startNode({
        args: [GERBANG_MAIN],
        env: {
          ...env,
          GERBANG_CONFIG: configFile,
          GERBANG_HTTP_PORT: String(httpPort),
          GERBANG_HTTPS_PORT: String(httpsPort),
          GERBANG_ADMIN_PORT: String(adminPort),
          GERBANG_STATE_DIR: join(workDir, 'state'),
          GERBANG_ADMIN_TOKEN: randomBytes(ADMIN_TOKEN_LENGTH)
            .toString('base64url')
            .slice(0, ADMIN_TOKEN_LENGTH),
          // info keeps the access log on: its cost is part of what is measured.
          GERBANG_LOG_LEVEL: 'info',
        },
        cpu: pinning.proxyCpu,
        output: logFd,
      });
      closeSync(logFd);
      try {
        await waitForHttp200(
          `http://127.0.0.1:${adminPort}/readyz`,
          child,
          options.readyTimeoutMs,
          READY_POLL_MS,
          () => logTail(logFile),
        );
      } catch (err) {
        await stopChild(child);
        throw new Error(`gerbang ${(err as Error).message}`);
      }
      return {
        url: `http://127.0.0.1:${httpPort}/`,
        // `Host`, capitalised: wrk adds its own `Host` unless this one replaces it exactly.
        headers: { Host: options.loadHost(options.extraHosts) },
        logFile,
        stop: () => stopChild(child),
      };
    },
  };
}

/** Every case, in the order they run; ratios are taken against "bare-proxy". */
export const CASES: readonly BenchCase[] = [
  backendDirect,
  bareProxy,
  gerbangCase({
    name: 'gerbang',
    description: `Gerbang, one host (${BENCH_HOST}), access log on, no cache rule`,
    extraHosts: 0,
    loadHost: () => BENCH_HOST,
    readyTimeoutMs: READY_TIMEOUT_MS,
  }),
  gerbangCase({
    name: 'gerbang-10k-hosts',
    description: `Gerbang with ${EXTRA_HOSTS} more hosts declared (h0..h${EXTRA_HOSTS - 1}.${BENCH_HOST}), load on the last`,
    extraHosts: EXTRA_HOSTS,
    loadHost: (n) => `h${n - 1}.${BENCH_HOST}`,
    readyTimeoutMs: READY_TIMEOUT_10K_MS,
  }),
  gerbangCase({
    name: 'gerbang-cache-hit',
    description: 'Gerbang with the shared cache on: the 1 KiB public, max-age=60 page served from memory',
    extraHosts: 0,
    loadHost: () => BENCH_HOST,
    readyTimeoutMs: READY_TIMEOUT_MS,
    cache: true,
  }),
];

export const BASELINE_CASE = 'bare-proxy';
export const SUBJECT_CASES: readonly string[] = ['gerbang', 'gerbang-10k-hosts', 'gerbang-cache-hit'];
