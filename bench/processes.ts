/** Child processes for the bench: CPU pinning, free ports, spawning, readiness, clean stop. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningCase } from './case-types.js';
import { CHILD_READY_TIMEOUT_MS, DEFAULT_LOAD_CPU, DEFAULT_PROXY_CPU, STOP_TIMEOUT_MS } from './defaults.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** True when run from source through tsx (`npx tsx bench/run.ts`), false from dist/bench. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** The repository root: the nearest parent with package.json (bench/ → root, dist/bench/ → root). */
export const REPO_ROOT = ((): string => {
  let dir = HERE;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${HERE}`);
    dir = parent;
  }
  return dir;
})();

/** Node arguments that run a sibling bench script, compiled or from source. */
export function benchScript(name: string): string[] {
  return FROM_SOURCE ? ['--import', 'tsx', join(HERE, `${name}.ts`)] : [join(HERE, `${name}.js`)];
}

export interface Pinning {
  /** The core the proxy under test gets alone, or undefined when not pinning. */
  proxyCpu: number | undefined;
  /** Every core (`0-N`): for a multi-process case that must be able to use all of them (cluster workers). */
  allCpus: string | undefined;
  /** The core shared by the bench itself, the backend and the load generator. */
  loadCpu: number | undefined;
  /** Why pinning is off, when it is. */
  note: string;
}

export function hasProgram(name: string): boolean {
  return programPath(name) !== undefined;
}

/** Where `name` is on PATH, also looking in the sbin directories a non-login root shell may lack. */
export function programPath(name: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/local/sbin:/usr/sbin:/sbin` },
  });
  const path = found.status === 0 ? found.stdout.trim() : '';
  return path === '' ? undefined : path;
}

const UNPINNED = { proxyCpu: undefined, allCpus: undefined, loadCpu: undefined } as const;

/** Pins this process (and so every child it starts later) to the load core; proxies get taskset'd to the proxy core. */
export function setUpPinning(env: NodeJS.ProcessEnv = process.env): Pinning {
  if (env.BENCH_NO_PIN === '1') return { ...UNPINNED, note: 'off (BENCH_NO_PIN=1)' };
  if (!hasProgram('taskset')) return { ...UNPINNED, note: 'off (no taskset)' };
  // Read before this process pins itself: the count follows the affinity mask.
  const cores = availableParallelism();
  if (cores < 2) return { ...UNPINNED, note: 'off (one core)' };
  const proxyCpu = Number(env.BENCH_PROXY_CPU ?? DEFAULT_PROXY_CPU);
  const loadCpu = Number(env.BENCH_LOAD_CPU ?? DEFAULT_LOAD_CPU);
  // -a: every thread of this process, libuv's and V8's included.
  if (!setAffinity(process.pid, loadCpu)) return { ...UNPINNED, note: 'off (taskset -p failed)' };
  return {
    proxyCpu,
    allCpus: `0-${cores - 1}`,
    loadCpu,
    note: `proxy on cpu ${proxyCpu}; bench, backend and load generator on cpu ${loadCpu}`,
  };
}

/** Moves a running process (every thread of it) to these cpus; false when taskset failed. */
export function setAffinity(pid: number, cpus: number | string): boolean {
  return (
    spawnSync('taskset', ['-a', '-p', '-c', String(cpus), String(pid)], { stdio: 'ignore' }).status === 0
  );
}

/** A port free right now on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface StartOptions {
  /** Node arguments (script and its flags). */
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Run on this core or cpu list (taskset -c); undefined = inherit the bench's affinity. */
  cpu?: number | string | undefined;
  /** Where stdout/stderr go: 'inherit', 'ignore', or a file descriptor. */
  output?: 'inherit' | 'ignore' | number;
  /** Use an IPC channel (the child reports { ready, port } with process.send). */
  ipc?: boolean;
}

/** Starts `node <args>` (through taskset when cpu is given). */
export function startNode(options: StartOptions): ChildProcess {
  return startProgram(process.execPath, options);
}

/** Starts `program <args>` (through taskset, which execs it: the child's pid is the program's). */
export function startProgram(program: string, options: StartOptions): ChildProcess {
  const [command, args] =
    options.cpu === undefined
      ? [program, options.args]
      : ['taskset', ['-c', String(options.cpu), program, ...options.args]];
  const output = options.output ?? 'inherit';
  return spawn(command, args, {
    cwd: REPO_ROOT,
    env: options.env ?? process.env,
    stdio: options.ipc ? ['ignore', output, output, 'ipc'] : ['ignore', output, output],
  });
}

/** Waits for a child's `{ ready: true, port }` IPC message; rejects when it exits or takes too long. */
export function waitForIpcPort(child: ChildProcess, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`${what} did not report ready in ${CHILD_READY_TIMEOUT_MS} ms`)),
      CHILD_READY_TIMEOUT_MS,
    );
    const onMessage = (message: unknown): void => {
      const port = (message as { port?: unknown } | null)?.port;
      if (typeof port === 'number' && port > 0) done(undefined, port);
    };
    const onExit = (code: number | null, signal: string | null): void =>
      done(new Error(`${what} exited before it was ready (code ${code}, signal ${signal})`));
    const onError = (err: Error): void => done(new Error(`${what} could not start: ${err.message}`));
    function done(err: Error | undefined, port?: number): void {
      clearTimeout(timer);
      child.off('message', onMessage).off('exit', onExit).off('error', onError);
      if (err) reject(err);
      else resolve(port!);
    }
    child.on('message', onMessage).on('exit', onExit).on('error', onError);
  });
}

/**
 * One GET with full control of the Host header (fetch forbids setting it): status, body length. Over https the
 * run's self-signed certificate is not checked here: the probe asks whether the case answers, not who it is.
 */
export function probe(
  url: string,
  headers: Record<string, string> = {},
  timeoutMs = 2_000,
): Promise<{ status: number; bytes: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : request;
    const options = { headers, timeout: timeoutMs, agent: false, rejectUnauthorized: false };
    const req = send(url, options, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Polls url until it answers 200; rejects early if `child` exits, with `explain()` appended. */
export async function waitForHttp200(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  pollMs: number,
  explain: () => string,
  headers: Record<string, string> = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `exited (code ${child.exitCode}, signal ${child.signalCode}) before ${url} was 200${explain()}`,
      );
    }
    try {
      const { status } = await probe(url, headers, pollMs * 10);
      if (status === 200) return;
      last = `HTTP ${status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(`${url} not 200 after ${timeoutMs} ms (last: ${last})${explain()}`);
}

/** SIGTERM, then SIGKILL after STOP_TIMEOUT_MS; resolves when the child is gone. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** The last lines of a log file, indented, for error messages. */
export function logTail(file: string, lines = 15): string {
  try {
    const text = readFileSync(file, 'utf8').trimEnd();
    if (!text) return `\n    (${file} is empty)`;
    return `\n    last lines of ${file}:\n${text
      .split('\n')
      .slice(-lines)
      .map((l) => `      ${l}`)
      .join('\n')}`;
  } catch {
    return '';
  }
}

/**
 * Runs one of the bench's own node scripts (`bench/<script>.ts`) on `cpu` as a case: it reports its port
 * over IPC, the load goes to `/` on it. `upstream` becomes its BENCH_UPSTREAM.
 */
export async function startScriptCase(
  script: string,
  cpu: number | undefined,
  upstream?: string,
  /** More environment for the script, and the scheme it serves (https: the TLS ceilings). */
  extra: { env?: Record<string, string>; scheme?: 'http' | 'https' } = {},
): Promise<RunningCase> {
  const env = { ...(upstream !== undefined && { BENCH_UPSTREAM: upstream }), ...extra.env };
  const child = startNode({
    args: benchScript(script),
    ...(Object.keys(env).length > 0 && { env: { ...process.env, ...env } }),
    cpu,
    ipc: true,
  });
  try {
    const port = await waitForIpcPort(child, script);
    return {
      url: `${extra.scheme ?? 'http'}://127.0.0.1:${port}/`,
      headers: {},
      pid: child.pid,
      stop: () => stopChild(child),
    };
  } catch (err) {
    await stopChild(child);
    throw err;
  }
}
