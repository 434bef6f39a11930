/** The peers a user would pick instead of Gerbang (nginx, HAProxy, Caddy, the `http-proxy` npm package), each in front of the same backend. */
import { type ChildProcess, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchCase, CaseSkipped, type RunningCase } from './case-types.js';
import {
  BENCH_GZIP_LEVEL,
  BENCH_HOST,
  BIG_PAGE_BYTES,
  H2_STREAMS,
  PEER_READY_TIMEOUT_MS,
  READY_POLL_MS,
  UPSTREAM_KEEPALIVE,
} from './defaults.js';
import { BIG_PAGE_PATH } from './pages.js';
import {
  freePort,
  logTail,
  probe,
  programPath,
  startProgram,
  startScriptCase,
  stopChild,
  waitForHttp200,
} from './processes.js';

/** The Debian packages behind the program-based peers. */
const DEBIAN_PACKAGES = { nginx: 'nginx', haproxy: 'haproxy', caddy: 'caddy' } as const;
type PeerProgram = keyof typeof DEBIAN_PACKAGES;

/** Why a program could not be had, by program (filled once by ensurePeerPrograms). */
const unavailable = new Map<PeerProgram, string>();

/**
 * Installs the missing peer programs with apt-get, only as root. Packages may start system services
 * (nginx on :80): the ones we install are stopped and disabled again where systemd runs, and the bench
 * never relies on them anyway: every peer runs in the foreground on free ports with its own config.
 */
export function ensurePeerPrograms(programs: readonly PeerProgram[], log: (line: string) => void): void {
  const missing = programs.filter((p) => programPath(p) === undefined);
  if (missing.length === 0) return;
  const isRoot = process.getuid?.() === 0;
  const hasApt = programPath('apt-get') !== undefined;
  if (!isRoot || !hasApt) {
    const why = !hasApt ? 'no apt-get' : 'not root, so not installed';
    for (const p of missing) unavailable.set(p, `${p} is not installed (${why})`);
    return;
  }
  const packages = missing.map((p) => DEBIAN_PACKAGES[p]);
  log(`bench: installing ${packages.join(' ')} (apt-get, for the peer cases)\n`);
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status === 0;
  // A fresh machine may have empty package lists: update once, then try again.
  const ok =
    install() ||
    (spawnSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'] }).status === 0 && install());
  if (existsSync('/run/systemd/system')) {
    for (const p of packages) spawnSync('systemctl', ['disable', '--now', p], { stdio: 'ignore' });
  }
  for (const p of missing) {
    if (programPath(p) === undefined)
      unavailable.set(p, `${p} is not installed and apt-get install ${ok ? 'did not provide it' : 'failed'}`);
  }
}

function requireProgram(program: PeerProgram): string {
  const path = programPath(program);
  if (path === undefined) throw new CaseSkipped(unavailable.get(program) ?? `${program} is not installed`);
  return path;
}

/** Starts a peer program on the proxy core, waits until it proxies, and hands back the running case. */
async function runPeer(options: {
  what: string;
  program: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cpu: number | undefined;
  port: number;
  logFile: string;
  stop?: (child: ChildProcess) => Promise<void>;
  /** Served over TLS (the run's certificate): the readiness poll and the load go to https. */
  tls?: boolean;
  /** The path the load asks for (default `/`). */
  path?: string;
}): Promise<RunningCase> {
  const logFd = openSync(options.logFile, 'a');
  const child = startProgram(options.program, {
    args: options.args,
    env: options.env ?? process.env,
    cpu: options.cpu,
    output: logFd,
  });
  closeSync(logFd);
  const stop = () => (options.stop ?? stopChild)(child);
  const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${options.port}${options.path ?? '/'}`;
  try {
    await waitForHttp200(url, child, PEER_READY_TIMEOUT_MS, READY_POLL_MS, () => logTail(options.logFile));
  } catch (err) {
    await stop();
    throw new Error(`${options.what} ${(err as Error).message}`);
  }
  return { url, headers: {}, logFile: options.logFile, pid: child.pid, stop };
}

/** How the TLS peers are loaded, as Gerbang's TLS cases are: keep-alive, a new handshake per request, HTTP/2. */
type PeerTls = 'keepalive' | 'handshake' | 'h2';

/** The load shape of a TLS mode, the same for every server (see cases.ts). */
function tlsShape(tls: PeerTls | undefined): Partial<BenchCase> {
  if (tls === 'h2') return { protocol: 'h2' };
  if (tls === 'handshake') return { noFixedLoad: true, unit: 'handshakes/s' };
  return {};
}

/** The request headers of a TLS mode and gzip (Connection: close makes wrk open a new TLS connection per request). */
function peerHeaders(tls: PeerTls | undefined, gzip: boolean): Record<string, string> {
  return {
    ...(tls === 'handshake' && { Connection: 'close' }),
    ...(gzip && { 'Accept-Encoding': 'gzip' }),
  };
}

interface NginxOptions {
  name: string;
  description: string;
  cache?: boolean;
  tls?: PeerTls;
  /** gzip on (level BENCH_GZIP_LEVEL), the 40 KiB page. */
  gzip?: boolean;
  /** The 40 KiB page without gzip. */
  big?: boolean;
}

function nginxCase(options: NginxOptions): BenchCase {
  const { cache = false, tls, gzip = false } = options;
  const big = gzip || options.big === true;
  return {
    name: options.name,
    description: options.description,
    ...(!cache && { origin: big ? ('big' as const) : ('small' as const) }),
    ...tlsShape(tls),
    async start({ backendUrl, pinning, workDir, cert }) {
      const nginx = requireProgram('nginx');
      const port = await freePort();
      const backend = new URL(backendUrl);
      // Run as root, nginx's worker is `nobody`: it must reach its temp and cache directories.
      chmodSync(workDir, 0o755);
      for (const dir of ['logs', 'tmp', 'cache']) mkdirSync(join(workDir, dir), { recursive: true });
      const tmp = (name: string) => `${name}_temp_path ${join(workDir, 'tmp', name)};`;
      const conf = `
worker_processes 1;
daemon off;
pid ${join(workDir, 'nginx.pid')};
error_log ${join(workDir, 'logs', 'error.log')} warn;
events { worker_connections 4096; }
http {
  access_log ${join(workDir, 'logs', 'access.log')} combined buffer=64k flush=1s;
  ${tmp('client_body')} ${tmp('proxy')} ${tmp('fastcgi')} ${tmp('uwsgi')} ${tmp('scgi')}
  upstream backend {
    server ${backend.host};
    keepalive ${UPSTREAM_KEEPALIVE};
  }
  ${
    cache
      ? // No proxy_ignore_headers: nginx stores for the backend's max-age; proxy_cache_valid is only the fallback.
        `proxy_cache_path ${join(workDir, 'cache')} levels=1:2 keys_zone=bench:10m max_size=64m inactive=10m use_temp_path=off;`
      : ''
  }
  ${
    gzip
      ? // nginx's usual setup: text/html is always in gzip_types; gzip_proxied any also for requests with Via.
        `gzip on; gzip_comp_level ${BENCH_GZIP_LEVEL}; gzip_proxied any; gzip_vary on; gzip_min_length 1024;`
      : ''
  }
  server {
    ${
      tls
        ? `listen 127.0.0.1:${port} ssl${tls === 'h2' ? ' http2' : ''};
    ssl_certificate ${cert().certFile};
    ssl_certificate_key ${cert().keyFile};
    ssl_protocols TLSv1.2 TLSv1.3;`
        : `listen 127.0.0.1:${port};`
    }
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      ${cache ? 'proxy_cache bench; proxy_cache_valid 200 1m; add_header X-Cache-Status $upstream_cache_status;' : ''}
    }
  }
}
`;
      const confFile = join(workDir, 'nginx.conf');
      writeFileSync(confFile, conf);
      const running = await runPeer({
        what: 'nginx',
        program: nginx,
        args: ['-p', workDir, '-e', join(workDir, 'logs', 'error.log'), '-c', confFile],
        cpu: pinning.proxyCpu,
        port,
        logFile: join(workDir, 'logs', 'error.log'),
        tls: tls !== undefined,
        path: big ? BIG_PAGE_PATH : '/',
      });
      running.headers = peerHeaders(tls, gzip);
      if (big) running.bodyBytes = BIG_PAGE_BYTES;
      if (gzip) running.anyBodyBytes = true;
      running.verify = async () =>
        (gzip ? await expectHeader(running, 'content-encoding', /^gzip$/) : undefined) ??
        (cache ? await expectHeader(running, 'x-cache-status', /^HIT$/) : undefined);
      return running;
    },
  };
}

/** Two GETs: the second must carry `header` matching `pattern` (a cache case really hits). */
export async function expectHeader(
  running: RunningCase,
  header: string,
  pattern: RegExp,
): Promise<string | undefined> {
  await probe(running.url, running.headers);
  const answer = await probe(running.url, running.headers);
  const value = answer.headers[header];
  const text = Array.isArray(value) ? value.join(', ') : (value ?? '');
  return pattern.test(text) ? undefined : `expected ${header} matching ${pattern}, got "${text}"`;
}

const haproxy: BenchCase = {
  name: 'haproxy',
  description: "Debian's HAProxy: nbthread 1, http-reuse always, keep-alive, httplog to stdout (a file)",
  async start({ backendUrl, pinning, workDir }) {
    const program = requireProgram('haproxy');
    const port = await freePort();
    const backend = new URL(backendUrl);
    const conf = `
global
  nbthread 1
  maxconn 4096
  log stdout format raw local0
defaults
  mode http
  log global
  option httplog
  option http-keep-alive
  http-reuse always
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend bench
  bind 127.0.0.1:${port}
  default_backend backend
backend backend
  server s1 ${backend.host}
`;
    const confFile = join(workDir, 'haproxy.cfg');
    writeFileSync(confFile, conf);
    // -db: foreground, one process; its stdout (the access log) goes to the log file.
    return runPeer({
      what: 'haproxy',
      program,
      args: ['-db', '-f', confFile],
      cpu: pinning.proxyCpu,
      port,
      logFile: join(workDir, 'haproxy.log'),
    });
  },
};

function caddyCase(name: string, description: string, tls?: PeerTls): BenchCase {
  return {
    name,
    description,
    origin: 'small',
    ...tlsShape(tls),
    async start({ backendUrl, pinning, workDir, cert }) {
      const program = requireProgram('caddy');
      const port = await freePort();
      const backend = new URL(backendUrl);
      // TLS: the run's certificate loaded by hand; default_sni for wrk's SNI of 127.0.0.1; HTTP/3 off (TCP only).
      const caddyfile = `{
  admin off
  auto_https off
  ${tls ? `default_sni ${BENCH_HOST}\n  servers {\n    protocols h1 h2\n  }` : ''}
}
${tls ? 'https://' : ''}:${port} {
  bind 127.0.0.1
  ${tls ? `tls ${cert().certFile} ${cert().keyFile}` : ''}
  log {
    output file ${join(workDir, 'access.log')}
  }
  reverse_proxy ${backend.host} {
    transport http {
      keepalive_idle_conns ${UPSTREAM_KEEPALIVE}
      keepalive_idle_conns_per_host ${UPSTREAM_KEEPALIVE}
    }
  }
}
`;
      const confFile = join(workDir, 'Caddyfile');
      writeFileSync(confFile, caddyfile);
      return runPeer({
        what: 'caddy',
        program,
        args: ['run', '--config', confFile, '--adapter', 'caddyfile'],
        env: {
          ...process.env,
          GOMAXPROCS: '1',
          // Caddy's data and config dirs (certificates, autosave) stay in the temp dir.
          XDG_DATA_HOME: join(workDir, 'data'),
          XDG_CONFIG_HOME: join(workDir, 'config'),
          HOME: workDir,
        },
        cpu: pinning.proxyCpu,
        port,
        logFile: join(workDir, 'caddy.log'),
        tls: tls !== undefined,
      }).then((running) => ({ ...running, headers: peerHeaders(tls, false) }));
    },
  };
}

const caddy = caddyCase(
  'caddy',
  "Debian's Caddy: reverse_proxy, GOMAXPROCS=1, admin off, 64 idle upstream connections, access log to a file",
);

const nodeHttpProxy: BenchCase = {
  name: 'node-http-proxy',
  origin: 'small',
  description:
    'the `http-proxy` npm package in a node:http server, keep-alive agent (64 sockets), no logging',
  start: ({ backendUrl, pinning }) => startScriptCase('node-http-proxy', pinning.proxyCpu, backendUrl),
};

/** The peer cases, in the order they run, and the programs each needs. */
export const PEER_CASES: readonly { benchCase: BenchCase; program?: PeerProgram }[] = [
  {
    benchCase: nginxCase({
      name: 'nginx',
      description:
        "Debian's nginx: 1 worker, upstream keepalive 64, HTTP/1.1 upstream, access log to a file (buffered)",
    }),
    program: 'nginx',
  },
  { benchCase: haproxy, program: 'haproxy' },
  { benchCase: caddy, program: 'caddy' },
  { benchCase: nodeHttpProxy },
  {
    benchCase: nginxCase({
      name: 'nginx-cache-hit',
      description:
        "Debian's nginx with proxy_cache (honouring the backend's Cache-Control): every measured request a hit",
      cache: true,
    }),
    program: 'nginx',
  },
  {
    benchCase: nginxCase({
      name: 'nginx-https',
      description: "nginx over HTTPS (the run's certificate), keep-alive",
      tls: 'keepalive',
    }),
    program: 'nginx',
  },
  {
    benchCase: caddyCase(
      'caddy-https',
      "Caddy over HTTPS (the run's certificate, loaded by hand), keep-alive",
      'keepalive',
    ),
    program: 'caddy',
  },
  {
    benchCase: nginxCase({
      name: 'nginx-https-handshake',
      description: 'nginx over HTTPS, `Connection: close`: a new TLS handshake per request',
      tls: 'handshake',
    }),
    program: 'nginx',
  },
  {
    benchCase: caddyCase(
      'caddy-https-handshake',
      'Caddy over HTTPS, `Connection: close`: a new TLS handshake per request',
      'handshake',
    ),
    program: 'caddy',
  },
  {
    benchCase: nginxCase({
      name: 'nginx-h2',
      description: `nginx over HTTP/2, h2load ${H2_STREAMS} streams per connection`,
      tls: 'h2',
    }),
    program: 'nginx',
  },
  {
    benchCase: caddyCase('caddy-h2', `Caddy over HTTP/2, h2load ${H2_STREAMS} streams per connection`, 'h2'),
    program: 'caddy',
  },
  {
    benchCase: nginxCase({
      name: 'nginx-gzip',
      description: `nginx, the 40 KiB page, gzip on (level ${BENCH_GZIP_LEVEL}, as Gerbang's default), Accept-Encoding: gzip: compressed per request`,
      gzip: true,
    }),
    program: 'nginx',
  },
  {
    benchCase: nginxCase({
      name: 'nginx-gzip-cache-hit',
      description:
        'nginx-gzip plus proxy_cache: every request a hit, gzipped again on the way out (nginx stores the uncompressed page)',
      gzip: true,
      cache: true,
    }),
    program: 'nginx',
  },
];
