/** The bench cases: each starts one thing to load (a proxy in front of the shared backend, or the backend itself). */

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { BenchCase, Extras } from './case-types.js';
import {
  ADMIN_TOKEN_LENGTH,
  BENCH_BACKEND_CONNECTIONS,
  BENCH_HOST,
  BENCH_ZONE,
  BIG_PAGE_BYTES,
  CLUSTER_WORKERS,
  EXTRA_HOSTS,
  FEW_HOSTS,
  GERBANG_HIT_PATTERN,
  H2_STREAMS,
  LOG_SETTLE_MS,
  PROPAGATION_CONFIRMATIONS,
  PROPAGATION_LOAD_SECONDS,
  READY_POLL_MS,
  READY_TIMEOUT_10K_MS,
  READY_TIMEOUT_MS,
} from './defaults.js';
import { BIG_PAGE_PATH } from './pages.js';
import { expectHeader, PEER_CASES } from './peers.js';
import {
  freePort,
  logTail,
  REPO_ROOT,
  startNode,
  startProgram,
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
  description:
    'the origin alone (1 KiB page): it must have clear headroom over every proxy case, or that case is not comparable',
  async start({ backendUrl, backendPid }) {
    return { url: `${backendUrl}/`, headers: {}, pid: backendPid, stop: async () => {} };
  },
};

const backendDirect40k: BenchCase = {
  name: 'backend-direct-40k',
  description: 'the origin alone, the 40 KiB page: the headroom reference of the gzip misses',
  async start({ backendUrl, backendPid }) {
    return {
      url: `${backendUrl}${BIG_PAGE_PATH}`,
      headers: {},
      bodyBytes: BIG_PAGE_BYTES,
      pid: backendPid,
      stop: async () => {},
    };
  },
};

/** The proxied path's ceiling: node:http + undici dispatch and nothing else, on the proxy core. */
const nodeHttpUndici: BenchCase = {
  name: 'node-http-undici',
  description:
    'node:http + undici Pool.dispatch (hop-by-hop fields dropped, body streamed back with backpressure): the ceiling of a Node proxy',
  origin: 'small',
  start: ({ backendUrl, pinning }) => startScriptCase('node-http-undici', pinning.proxyCpu, backendUrl),
};

/**
 * The TLS cases' ceilings: node:https, or node:http2 on its stream API, + undici dispatch and nothing else, with
 * the run's certificate, on the proxy core. What Node itself reaches bounds what Gerbang can reach beside nginx.
 */
function nodeTlsUndici(name: string, load: 'keepalive' | 'handshake' | 'h2', description: string): BenchCase {
  return {
    name,
    description,
    origin: 'small',
    ...(load === 'h2' && { protocol: 'h2' as const }),
    ...(load === 'handshake' && { noFixedLoad: true, unit: 'handshakes/s' }),
    start: async ({ backendUrl, pinning, cert }) => {
      const pair = cert();
      const running = await startScriptCase('node-tls-undici', pinning.proxyCpu, backendUrl, {
        env: {
          BENCH_CERT_FILE: pair.certFile,
          BENCH_KEY_FILE: pair.keyFile,
          BENCH_TLS_MODE: load === 'h2' ? 'h2' : 'h1',
        },
        scheme: 'https',
      });
      // Connection: close makes wrk open a new TLS connection per request, as for the other handshake cases.
      return load === 'handshake' ? { ...running, headers: { Connection: 'close' } } : running;
    },
  };
}

/** The bench backend's own script run as a case on the proxy core: the price of the same page in Node alone. */
const nodeHttpPage: BenchCase = {
  name: 'node-http-page',
  description:
    'the backend script (node:http, the 1 KiB page from memory) on the proxy core: what a cache hit costs Node itself',
  start: ({ pinning }) => startScriptCase('backend', pinning.proxyCpu),
};

const bareProxy: BenchCase = {
  name: 'bare-proxy',
  origin: 'small',
  description:
    'a bare @fastify/http-proxy app, one static upstream, logger off: the floor of a fastify proxy',
  start: ({ backendUrl, pinning }) => startScriptCase('bare-proxy', pinning.proxyCpu, backendUrl),
};

/**
 * The Gerbang entry point the cases run: built by `npm run build` from src/main.ts, or BENCH_GERBANG_MAIN
 * (another build, e.g. of an older commit, to measure what a change gained under the same conditions).
 */
export const GERBANG_MAIN = process.env.BENCH_GERBANG_MAIN || join(REPO_ROOT, 'dist', 'src', 'main.js');

/**
 * BENCH_GERBANG_NODE=<node binary>: the same build also runs under this runtime (issue 15: Node 20 against the
 * project's 24), as extra cases interleaved with the default ones in every round.
 */
const ALT_NODE = process.env.BENCH_GERBANG_NODE || undefined;
const ALT_NODE_MAJOR = ((): string | undefined => {
  if (!ALT_NODE) return undefined;
  const out = spawnSync(ALT_NODE, ['--version'], { encoding: 'utf8' });
  const major = /^v(\d+)\./.exec(out.stdout ?? '')?.[1];
  if (out.status !== 0 || major === undefined)
    throw new Error(
      `BENCH_GERBANG_NODE=${ALT_NODE} does not run as node (--version: ${out.error?.message ?? out.stderr})`,
    );
  return major;
})();
/**
 * Under an older major, Gerbang's entry point refuses to start (src/runtime/check-node.ts): this loader hook
 * (bench/skip-node-check.ts, built) turns that one module into an empty one, for the comparison only.
 */
const SKIP_NODE_CHECK = join(REPO_ROOT, 'dist', 'bench', 'skip-node-check.js');

type TlsMode = 'keepalive' | 'handshake' | 'h2';

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
  /** Which origin page the load asks for (default the 1 KiB one). */
  page?: 'small' | 'big';
  /** `Accept-Encoding: gzip` on the load; the answer must say `Content-Encoding: gzip`. */
  gzip?: boolean;
  /** The load over HTTPS (the run's certificate): keep-alive, a new handshake per request, or HTTP/2. */
  tls?: TlsMode;
  /** Run under BENCH_GERBANG_NODE instead of the project's node. */
  altNode?: boolean;
  /** A host `rateLimit` the load never reaches: what counting every request costs (issue 16). */
  rateLimit?: boolean;
  /** The probe filter in `block` mode (the default is `detect`): what checking every request costs (issue 16). */
  probeBlock?: boolean;
  /** Another build's entry point than GERBANG_MAIN (cpu-per-request.ts compares two builds in one run). */
  main?: string;
  /** The defacement watch (issue 18): off, or sampling each host's HTML every second (its busiest); absent = defaults. */
  defacement?: 'off' | 'busy';
}

/** Far above any load the bench sends: every request is counted, none is refused. */
const UNREACHED_RATE_LIMIT = { rate: '999999/s', burst: 1_000_000 };

/** Two probes: the answer must carry Content-Encoding: gzip (compression on, the page compressible). */
async function expectGzip(url: string, headers: Record<string, string>): Promise<string | undefined> {
  const wrong = await expectHeader({ url, headers, stop: async () => {} }, 'content-encoding', /^gzip$/);
  return wrong && `${wrong}: Gerbang did not compress the page (is compression built and on?)`;
}

/** A cluster runs unpinned (every process on every core): see README, "Scale with cores". */
const isCluster = (options: GerbangCaseOptions): boolean => (options.workers ?? 1) > 1;

function gerbangCase(options: GerbangCaseOptions): BenchCase {
  return {
    name: options.name,
    description: options.description,
    ...(options.optIn && { optIn: true }),
    ...(isCluster(options) && { unpinned: true }),
    ...(!options.cache && { origin: options.page ?? 'small' }),
    ...(options.tls === 'h2' && { protocol: 'h2' as const }),
    ...(options.tls === 'handshake' && { noFixedLoad: true, unit: 'handshakes/s' }),
    async start({ backendUrl, pinning, workDir, cert }) {
      if (options.altNode && !existsSync(SKIP_NODE_CHECK))
        throw new Error(`${SKIP_NODE_CHECK} does not exist: run the bench through npm run bench (it builds)`);
      const main = options.main ?? GERBANG_MAIN;
      if (!existsSync(main)) {
        throw new Error(
          `${main} does not exist: build Gerbang first (npm run build; src/main.ts must exist and compile)`,
        );
      }
      const cache = { enabled: options.cache ?? false };
      const route = (host: string) => ({
        host,
        routes: [{ path: '/', targets: [backendUrl], cache }],
        ...(options.rateLimit && { rateLimit: UNREACHED_RATE_LIMIT }),
        ...(options.probeBlock && { probeFilter: { mode: 'block' } }),
      });
      const hosts = [route(BENCH_HOST)];
      for (let i = 0; i < options.extraHosts; i++) hosts.push(route(`h${i}.${BENCH_HOST}`));
      const configFile = join(workDir, 'gerbang.yaml');
      // No anchors/aliases for shared objects: Gerbang's YAML parser (rightly) caps the alias count.
      // The bench backend is on loopback, which the SSRF policy refuses unless allowed.
      const backends = { allow: ['127.0.0.0/8'] };
      // The load comes from one address standing for many citizens: Gerbang's per-client cap of requests in
      // flight to a target (a fraction of its pool) would answer the excess of 64 connections × streams with 429.
      const limits = {
        backendConnections: BENCH_BACKEND_CONNECTIONS,
        maxBackendRequestsPerClient: BENCH_BACKEND_CONNECTIONS - 1,
      };
      writeFileSync(
        configFile,
        stringify(
          {
            zones: [BENCH_ZONE],
            backends,
            limits,
            ...(options.defacement && {
              defacement: options.defacement === 'off' ? { enabled: false } : { sampleIntervalMs: 1_000 },
            }),
            hosts,
          },
          { aliasDuplicateObjects: false },
        ),
      );

      const [httpPort, httpsPort, adminPort] = [await freePort(), await freePort(), await freePort()];
      const publicUrl = `http://127.0.0.1:${httpPort}/`;
      const path = options.page === 'big' ? BIG_PAGE_PATH : '/';
      const loadUrl = options.tls
        ? `https://127.0.0.1:${httpsPort}${path}`
        : `http://127.0.0.1:${httpPort}${path}`;
      const stateDir = join(workDir, 'state');
      if (options.tls) {
        // The run's certificate as Gerbang's kept fallback pair: served for any SNI (wrk sends 127.0.0.1).
        mkdirSync(stateDir, { recursive: true, mode: 0o700 });
        const pair = cert();
        writeFileSync(join(stateDir, 'fallback-cert.pem'), pair.certificate, { mode: 0o600 });
        writeFileSync(join(stateDir, 'fallback-key.pem'), pair.key, { mode: 0o600 });
      }
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
      const start = {
        args: [...profile, ...(options.altNode ? ['--import', SKIP_NODE_CHECK] : []), main],
        env: {
          ...env,
          GERBANG_CONFIG: configFile,
          GERBANG_HTTP_PORT: String(httpPort),
          GERBANG_HTTPS_PORT: String(httpsPort),
          GERBANG_ADMIN_PORT: String(adminPort),
          GERBANG_STATE_DIR: stateDir,
          GERBANG_ADMIN_TOKEN: adminToken,
          GERBANG_WORKERS: String(workers),
          // info keeps the access log on: its cost is part of what is measured.
          GERBANG_LOG_LEVEL: 'info',
        },
        // One process: the proxy core, alone. A cluster: every core (see README, "Scale with cores").
        cpu: workers > 1 ? pinning.allCpus : pinning.proxyCpu,
        output: logFd,
      };
      const child = options.altNode && ALT_NODE ? startProgram(ALT_NODE, start) : startNode(start);
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
      // `Host`, capitalised: wrk adds its own `Host` unless this one replaces it exactly.
      const headers: Record<string, string> = { Host: options.loadHost(options.extraHosts) };
      if (options.gzip) headers['Accept-Encoding'] = 'gzip';
      if (options.tls === 'handshake') headers.Connection = 'close';
      const verify = async (): Promise<string | undefined> => {
        if (options.gzip) {
          const wrong = await expectGzip(loadUrl, headers);
          if (wrong) return wrong;
        }
        if (options.cache)
          return expectHeader(
            { url: loadUrl, headers, stop: async () => {} },
            'cache-status',
            GERBANG_HIT_PATTERN,
          );
        return undefined;
      };
      return {
        url: loadUrl,
        headers,
        ...(options.page === 'big' && { bodyBytes: BIG_PAGE_BYTES }),
        ...(options.gzip && { anyBodyBytes: true }),
        logFile,
        pid: child.pid,
        stop: () => stopChild(child),
        verify,
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

/** One host, every request to it: the shape of all but the host-count cases. */
const oneHost = { extraHosts: 0, loadHost: () => BENCH_HOST, readyTimeoutMs: READY_TIMEOUT_MS } as const;

/** `gerbang` (proxied) or `gerbang-cache-hit` run from another build's entry point, named `name`. */
export function gerbangBuildCase(name: string, main: string, cache: boolean): BenchCase {
  return gerbangCase({ name, description: `${name}: ${main}`, ...oneHost, cache, main });
}

/** Issue 15's cases for Gerbang: HTTPS (keep-alive, a handshake per request, HTTP/2) and the 40 KiB page gzipped. */
const GERBANG_ISSUE_15_CASES: readonly BenchCase[] = [
  gerbangCase({
    name: 'gerbang-https',
    description: "Gerbang over HTTPS (the run's RSA certificate), keep-alive, HTTP/1.1",
    ...oneHost,
    tls: 'keepalive',
  }),
  gerbangCase({
    name: 'gerbang-https-handshake',
    description:
      'Gerbang over HTTPS, `Connection: close`: a new full TLS handshake per request (wrk does not resume)',
    ...oneHost,
    tls: 'handshake',
  }),
  gerbangCase({
    name: 'gerbang-h2',
    description: `Gerbang over HTTP/2 (ALPN h2), h2load ${H2_STREAMS} streams per connection`,
    ...oneHost,
    tls: 'h2',
  }),
  gerbangCase({
    name: 'gerbang-40k-hit',
    description: 'Gerbang, cache on, the 40 KiB HTML page as a hit, no Accept-Encoding: the uncompressed hit',
    ...oneHost,
    cache: true,
    page: 'big',
  }),
  gerbangCase({
    name: 'gerbang-gzip-hit',
    description:
      'Gerbang, cache on, the 40 KiB page with Accept-Encoding: gzip: the stored gzip variant as a hit',
    ...oneHost,
    cache: true,
    page: 'big',
    gzip: true,
  }),
  gerbangCase({
    name: 'gerbang-gzip-miss',
    description:
      'Gerbang, no cache rule, the 40 KiB page with Accept-Encoding: gzip: compressed on every request',
    ...oneHost,
    page: 'big',
    gzip: true,
  }),
];

/** With BENCH_GERBANG_NODE: the proxied and the hit case again under that runtime. */
const ALT_NODE_CASES: readonly BenchCase[] = ALT_NODE_MAJOR
  ? [
      gerbangCase({
        name: `gerbang-node${ALT_NODE_MAJOR}`,
        description: `gerbang under ${ALT_NODE} (Node ${ALT_NODE_MAJOR}), the same build`,
        ...oneHost,
        altNode: true,
      }),
      gerbangCase({
        name: `gerbang-cache-hit-node${ALT_NODE_MAJOR}`,
        description: `gerbang-cache-hit under ${ALT_NODE} (Node ${ALT_NODE_MAJOR}), the same build`,
        ...oneHost,
        cache: true,
        altNode: true,
      }),
    ]
  : [];

/** Every case, in the order they run; ratios are taken against "bare-proxy" and "gerbang". */
export const CASES: readonly BenchCase[] = [
  backendDirect,
  backendDirect40k,
  bareProxy,
  gerbangCase({
    name: 'gerbang',
    description: `Gerbang, one host (${BENCH_HOST}), access log on, no cache rule, defacement watch off`,
    ...oneHost,
    defacement: 'off',
  }),
  gerbangCase({
    name: 'gerbang-defacement-watch',
    description: `Gerbang, one host, the defacement watch sampling its HTML page every second (issue 18: at most 2 % below "gerbang")`,
    ...oneHost,
    defacement: 'busy',
  }),
  ...ALT_NODE_CASES.slice(0, 1),
  gerbangCase({
    name: 'gerbang-rate-limit',
    description: `Gerbang, one host with a rateLimit the load never reaches, one client address (issue 16: at most 5 % below "gerbang")`,
    ...oneHost,
    rateLimit: true,
  }),
  gerbangCase({
    name: 'gerbang-probe-block',
    description: `Gerbang, one host with the probe filter in block mode, no probe in the load (issue 16: at most 3 % below "gerbang")`,
    ...oneHost,
    probeBlock: true,
  }),
  nodeHttpUndici,
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
  ...ALT_NODE_CASES.slice(1),
  nodeHttpPage,
  ...GERBANG_ISSUE_15_CASES,
  nodeTlsUndici(
    'node-https-undici',
    'keepalive',
    "node:https + undici Pool.dispatch, the run's certificate, keep-alive: the ceiling of a Node proxy over HTTPS",
  ),
  nodeTlsUndici(
    'node-https-undici-handshake',
    'handshake',
    'node-https-undici with `Connection: close`: a new full TLS handshake per request, the ceiling of a Node proxy',
  ),
  nodeTlsUndici(
    'node-h2-undici',
    'h2',
    `node:http2 stream API (no compat layer) + undici Pool.dispatch, h2load ${H2_STREAMS} streams per connection: the ceiling of a Node proxy over HTTP/2`,
  ),
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
