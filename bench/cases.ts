/** The bench cases: each starts one thing to load (a proxy in front of the shared backend, or the backend itself). */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { BenchCase, Extras } from './case-types.js';
import {
  ADMIN_TOKEN_LENGTH,
  BENCH_HOST,
  BENCH_ZONE,
  CLUSTER_WORKERS,
  EXTRA_HOSTS,
  FEW_HOSTS,
  GERBANG_HIT_PATTERN,
  LOG_SETTLE_MS,
  PROPAGATION_CONFIRMATIONS,
  PROPAGATION_LOAD_SECONDS,
  READY_POLL_MS,
  READY_TIMEOUT_10K_MS,
  READY_TIMEOUT_MS,
} from './defaults.js';
import { expectHeader, PEER_CASES } from './peers.js';
import {
  freePort,
  logTail,
  REPO_ROOT,
  startNode,
  startScriptCase,
  stopChild,
  waitForHttp200,
} from './processes.js';
import { measurePropagation } from './propagation.js';
import { fileSize, workerShare } from './worker-share.js';

export type { BenchCase, BenchContext, RunningCase } from './case-types.js';
export { CaseSkipped } from './case-types.js';

export function makeWorkDir(caseName: string): string {
  return mkdtempSync(join(tmpdir(), `gerbang-bench-${caseName}-`));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const backendDirect: BenchCase = {
  name: 'backend-direct',
  description: 'the backend alone: the ceiling any proxy in front of it is measured against',
  async start({ backendUrl, backendPid }) {
    return { url: `${backendUrl}/`, headers: {}, pid: backendPid, stop: async () => {} };
  },
};

/** The bench backend's own script run as a case on the proxy core: the price of the same page in Node alone. */
const nodeHttpPage: BenchCase = {
  name: 'node-http-page',
  description:
    'the backend script (node:http, the 1 KiB page from memory) on the proxy core: what a cache hit costs Node itself',
  start: ({ pinning }) => startScriptCase('backend', pinning.proxyCpu),
};

const bareProxy: BenchCase = {
  name: 'bare-proxy',
  description:
    'a bare @fastify/http-proxy app, one static upstream, logger off: the floor of a fastify proxy',
  start: ({ backendUrl, pinning }) => startScriptCase('bare-proxy', pinning.proxyCpu, backendUrl),
};

/**
 * The Gerbang entry point the cases run: built by `npm run build` from src/main.ts, or BENCH_GERBANG_MAIN
 * (another build, e.g. of an older commit, to measure what a change gained under the same conditions).
 */
export const GERBANG_MAIN = process.env.BENCH_GERBANG_MAIN || join(REPO_ROOT, 'dist', 'src', 'main.js');

interface GerbangCaseOptions {
  name: string;
  description: string;
  extraHosts: number;
  /** The host the load is sent to. */
  loadHost: (extraHosts: number) => string;
  readyTimeoutMs: number;
  /** Turns the shared cache on for the routes; off, every request is proxied (the backend's page is cacheable). */
  cache?: boolean;
  /** GERBANG_WORKERS (default 1: one process, pinned to the proxy core; more: the cluster on every core). */
  workers?: number;
  /** After the runs, time how long a new host takes to be routed (under load). */
  propagation?: boolean;
  optIn?: boolean;
}

/** A cluster runs unpinned (every process on every core): see README, "Scale with cores". */
const isCluster = (options: GerbangCaseOptions): boolean => (options.workers ?? 1) > 1;

function gerbangCase(options: GerbangCaseOptions): BenchCase {
  return {
    name: options.name,
    description: options.description,
    ...(options.optIn && { optIn: true }),
    ...(isCluster(options) && { unpinned: true }),
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
      const publicUrl = `http://127.0.0.1:${httpPort}/`;
      const logFile = join(workDir, 'gerbang.log');
      const logFd = openSync(logFile, 'a');
      // The parent's GERBANG_* settings (a Redis URL, ACME...) must not leak into the measurement.
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GERBANG_')));
      const workers = options.workers ?? 1;
      const adminToken = randomBytes(ADMIN_TOKEN_LENGTH).toString('base64url').slice(0, ADMIN_TOKEN_LENGTH);
      // BENCH_CPU_PROF=<dir>: a V8 CPU profile of every Gerbang process, written when it exits.
      const profile = process.env.BENCH_CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
        : [];
      const child = startNode({
        args: [...profile, GERBANG_MAIN],
        env: {
          ...env,
          GERBANG_CONFIG: configFile,
          GERBANG_HTTP_PORT: String(httpPort),
          GERBANG_HTTPS_PORT: String(httpsPort),
          GERBANG_ADMIN_PORT: String(adminPort),
          GERBANG_STATE_DIR: join(workDir, 'state'),
          GERBANG_ADMIN_TOKEN: adminToken,
          GERBANG_WORKERS: String(workers),
          // info keeps the access log on: its cost is part of what is measured.
          GERBANG_LOG_LEVEL: 'info',
        },
        // One process: the proxy core, alone. A cluster: every core (see README, "Scale with cores").
        cpu: workers > 1 ? pinning.allCpus : pinning.proxyCpu,
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
        // In cluster mode /readyz is the primary's (control plane) and answers before the workers listen.
        await waitForHttp200(
          publicUrl,
          child,
          options.readyTimeoutMs,
          READY_POLL_MS,
          () => logTail(logFile),
          { Host: options.loadHost(options.extraHosts) },
        );
      } catch (err) {
        await stopChild(child);
        throw new Error(`gerbang ${(err as Error).message}`);
      }
      let runStart = 0;
      return {
        url: publicUrl,
        // `Host`, capitalised: wrk adds its own `Host` unless this one replaces it exactly.
        headers: { Host: options.loadHost(options.extraHosts) },
        logFile,
        pid: child.pid,
        stop: () => stopChild(child),
        ...(options.cache && {
          verify: () =>
            expectHeader(
              {
                url: publicUrl,
                headers: { Host: options.loadHost(options.extraHosts) },
                stop: async () => {},
              },
              'cache-status',
              GERBANG_HIT_PATTERN,
            ),
        }),
        ...(workers > 1 && {
          // Per-worker counts from the access log: the lines of this run only, the batched ones included.
          beforeRun: async () => {
            await sleep(LOG_SETTLE_MS);
            runStart = fileSize(logFile);
          },
          afterRun: async (): Promise<Extras> => {
            await sleep(LOG_SETTLE_MS);
            return { workerShare: workerShare(logFile, runStart, workers) };
          },
        }),
        ...(options.propagation && {
          afterAll: async (load): Promise<Extras> => {
            const background = load(PROPAGATION_LOAD_SECONDS);
            await sleep(1_000);
            try {
              const propagation = await measurePropagation(
                {
                  adminUrl: `http://127.0.0.1:${adminPort}`,
                  adminToken,
                  publicUrl,
                  backendUrl,
                },
                // One process: the first routed poll is the data plane; a cluster: a few in a row, every worker.
                workers > 1 ? PROPAGATION_CONFIRMATIONS : 1,
              );
              return { propagation };
            } finally {
              await background;
            }
          },
        }),
      };
    },
  };
}

/** Every case, in the order they run; ratios are taken against "bare-proxy" and "gerbang". */
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
    name: 'gerbang-10-hosts',
    description: `Gerbang with ${FEW_HOSTS} hosts (${BENCH_HOST} and h0..h${FEW_HOSTS - 2}), load on the last`,
    extraHosts: FEW_HOSTS - 1,
    loadHost: (n) => `h${n - 1}.${BENCH_HOST}`,
    readyTimeoutMs: READY_TIMEOUT_MS,
  }),
  gerbangCase({
    name: 'gerbang-10k-hosts',
    description: `Gerbang with ${EXTRA_HOSTS} more hosts declared (h0..h${EXTRA_HOSTS - 1}.${BENCH_HOST}), load on the last; then a new host's propagation under load`,
    extraHosts: EXTRA_HOSTS,
    loadHost: (n) => `h${n - 1}.${BENCH_HOST}`,
    readyTimeoutMs: READY_TIMEOUT_10K_MS,
    propagation: true,
  }),
  gerbangCase({
    name: 'gerbang-cache-hit',
    description: 'Gerbang with the shared cache on: the 1 KiB public, max-age=60 page served from memory',
    extraHosts: 0,
    loadHost: () => BENCH_HOST,
    readyTimeoutMs: READY_TIMEOUT_MS,
    cache: true,
  }),
  nodeHttpPage,
  gerbangCase({
    name: 'gerbang-2-workers',
    description: `Gerbang, GERBANG_WORKERS=${CLUSTER_WORKERS}, on every core (shared with backend + wrk); per-worker request counts`,
    extraHosts: 0,
    loadHost: () => BENCH_HOST,
    readyTimeoutMs: READY_TIMEOUT_MS,
    workers: CLUSTER_WORKERS,
  }),
  gerbangCase({
    name: 'gerbang-10k-hosts-2-workers',
    description: `Gerbang, ${CLUSTER_WORKERS} workers and ${EXTRA_HOSTS} more hosts: a new host's propagation to every worker`,
    optIn: true,
    extraHosts: EXTRA_HOSTS,
    loadHost: (n) => `h${n - 1}.${BENCH_HOST}`,
    readyTimeoutMs: READY_TIMEOUT_10K_MS,
    workers: CLUSTER_WORKERS,
    propagation: true,
  }),
  ...PEER_CASES.map((p) => p.benchCase),
];

export const BASELINE_CASE = 'bare-proxy';
/** The case every row's throughput is also compared with (issue 7's ratios). */
export const GERBANG_CASE = 'gerbang';
export const SUBJECT_CASES: readonly string[] = [
  'gerbang',
  'gerbang-10-hosts',
  'gerbang-10k-hosts',
  'gerbang-cache-hit',
  'gerbang-2-workers',
];
