/** The origin every proxy case forwards to: Debian's nginx serving the pages from memory on the load core (or, with --origin=node, the old Node backend). */
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PEER_READY_TIMEOUT_MS, READY_POLL_MS } from './defaults.js';
import { BIG_PAGE, BIG_PAGE_PATH, SMALL_PAGE } from './pages.js';
import {
  benchScript,
  freePort,
  logTail,
  programPath,
  startNode,
  startProgram,
  stopChild,
  waitForHttp200,
  waitForIpcPort,
} from './processes.js';

export type OriginKind = 'nginx' | 'node';

export interface Origin {
  kind: OriginKind;
  url: string;
  pid: number | undefined;
  /** What it is, for the report. */
  note: string;
  stop(): Promise<void>;
}

/**
 * nginx, one worker, on the load core (the bench's own affinity, inherited). The pages are static files: `etag`
 * is on by default for them (a `return 200` cannot carry one), open_file_cache keeps the descriptors, and the
 * page cache keeps the bytes in memory. No access log and unlimited keep-alive requests, so the proxies' pooled
 * upstream connections are never closed under them (nginx's default closes one every 1,000 requests).
 */
async function startNginxOrigin(): Promise<Origin> {
  const nginx = programPath('nginx');
  if (nginx === undefined)
    throw new Error("the origin needs Debian's nginx (apt-get install nginx), or --origin=node");
  const dir = mkdtempSync(join(tmpdir(), 'gerbang-bench-origin-'));
  // nginx's worker runs as `nobody` when started as root: it must read the pages and write its temp dirs.
  chmodSync(dir, 0o755);
  for (const sub of ['www', 'logs', 'tmp']) mkdirSync(join(dir, sub), { recursive: true, mode: 0o755 });
  writeFileSync(join(dir, 'www', 'page-1k.html'), SMALL_PAGE, { mode: 0o644 });
  writeFileSync(join(dir, 'www', BIG_PAGE_PATH.slice(1)), BIG_PAGE, { mode: 0o644 });
  const port = await freePort();
  const tmp = (name: string) => `${name}_temp_path ${join(dir, 'tmp', name)};`;
  const conf = `
worker_processes 1;
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'logs', 'error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  server_tokens off;
  ${tmp('client_body')} ${tmp('proxy')} ${tmp('fastcgi')} ${tmp('uwsgi')} ${tmp('scgi')}
  types { text/html html; }
  default_type text/html;
  charset utf-8;
  sendfile on;
  tcp_nopush on;
  open_file_cache max=16 inactive=600s;
  open_file_cache_valid 600s;
  keepalive_timeout 75s;
  keepalive_requests 100000000;
  server {
    listen 127.0.0.1:${port} backlog=4096;
    root ${join(dir, 'www')};
    add_header Cache-Control "public, max-age=60";
    location = / { try_files /page-1k.html =404; }
  }
}
`;
  const confFile = join(dir, 'nginx.conf');
  writeFileSync(confFile, conf);
  const logFile = join(dir, 'logs', 'error.log');
  const logFd = openSync(logFile, 'a');
  const child = startProgram(nginx, {
    args: ['-p', dir, '-e', logFile, '-c', confFile],
    output: logFd,
  });
  closeSync(logFd);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForHttp200(`${url}/`, child, PEER_READY_TIMEOUT_MS, READY_POLL_MS, () => logTail(logFile));
  } catch (err) {
    await stop();
    throw new Error(`the nginx origin ${(err as Error).message}`);
  }
  return {
    kind: 'nginx',
    url,
    pid: child.pid,
    note: "nginx origin (Debian's, 1 worker, static pages from the page cache) on the load core",
    stop,
  };
}

/** The old method's origin: bench/backend.ts (node:http) on the load core. */
async function startNodeOrigin(): Promise<Origin> {
  const child = startNode({ args: benchScript('backend'), ipc: true });
  const port = await waitForIpcPort(child, 'backend');
  return {
    kind: 'node',
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    note: 'Node origin (bench/backend.ts, node:http) on the load core: the old method',
    stop: () => stopChild(child),
  };
}

export function startOrigin(kind: OriginKind): Promise<Origin> {
  return kind === 'nginx' ? startNginxOrigin() : startNodeOrigin();
}
