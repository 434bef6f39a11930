/** Starts a real, throw-away redis-server (or Sentinel) on a loopback port for one test; can crash, restart or stop it. */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.js';

export const REDIS_INSTALL_COMMAND = 'apt-get install -y redis-server';

/** Searched after PATH, as tests/system-deps.mjs does: Debian puts the binary in /usr/bin. */
const EXTRA_BIN_DIRS = ['/usr/bin', '/usr/sbin', '/usr/local/bin'];
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

export interface RedisServerOptions {
  /** Listen on this port rather than a free one, e.g. one a store is already trying to reach. */
  port?: number;
  /** An append-only file fsynced on every write, so data survives kill() and restart(). */
  persistent?: boolean;
}

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** SIGTERM, wait for the exit, remove the data directory. */
  stop(): Promise<void>;
  /** SIGKILL, as in a crash: every connection drops at once. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data directory, stopping the running one first. */
  restart(): Promise<void>;
}

// A test that dies half-way must not leave redis-servers behind.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function redisServerBinary(): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_BIN_DIRS];
  for (const dir of dirs) {
    const file = join(dir, 'redis-server');
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this directory
    }
  }
  throw new Error(`redis-server is not installed (not on PATH); install it with: ${REDIS_INSTALL_COMMAND}`);
}

export async function startRedis(options: RedisServerOptions = {}): Promise<RedisServer> {
  const persistent = options.persistent ?? false;
  return startProcess(options.port, (port, dir) => [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    persistent ? 'yes' : 'no',
    '--appendfsync',
    'always',
    '--dir',
    dir,
    '--daemonize',
    'no',
  ]);
}

/** A Redis Sentinel watching `master` under `masterName` (quorum 1); its url is the sentinel's own address. */
export async function startRedisSentinel(master: RedisServer, masterName = 'mymaster'): Promise<RedisServer> {
  return startProcess(undefined, async (port, dir) => {
    // Sentinel rewrites its config file, so it needs a file of its own rather than arguments alone.
    const config = join(dir, 'sentinel.conf');
    await writeFile(
      config,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${masterName} 127.0.0.1 ${master.port} 1`,
        `sentinel down-after-milliseconds ${masterName} 1000`,
        '',
      ].join('\n'),
    );
    return [config, '--sentinel'];
  });
}

async function startProcess(
  fixedPort: number | undefined,
  argsFor: (port: number, dir: string) => string[] | Promise<string[]>,
): Promise<RedisServer> {
  const binary = redisServerBinary();
  const dir = await mkdtemp(join(tmpdir(), 'gerbang-redis-'));
  let port = fixedPort ?? (await freePort());
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    const proc = spawn(binary, await argsFor(port, dir), { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(proc);
    proc.once('exit', () => running.delete(proc));
    let output = '';
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-4000);
    };
    proc.stdout?.on('data', collect);
    proc.stderr?.on('data', collect);

    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new Error(`redis-server on port ${port} exited at start:\n${output}`);
      }
      // The pid check tells our server apart from another test's that grabbed the same port first.
      const pid = await serverPid(port);
      if (pid === proc.pid) break;
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(
          `redis-server on port ${port} did not answer within ${START_TIMEOUT_MS} ms:\n${output}`,
        );
      }
      await sleep(20);
    }
    child = proc;
  };

  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  // A free port can be taken between our probe and redis' bind; when the port was not imposed, try another.
  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      break;
    } catch (err) {
      if (fixedPort !== undefined || attempt >= 5) {
        await rm(dir, { recursive: true, force: true });
        throw err;
      }
      port = await freePort();
    }
  }

  return {
    get url() {
      return `redis://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    stop: async () => {
      await halt('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
    kill: () => halt('SIGKILL'),
    restart: async () => {
      await halt('SIGTERM');
      await launch();
    },
  };
}

/** The server's process id from `INFO server`, or undefined when nothing (or no Redis) answers on the port. */
function serverPid(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    const finish = (pid: number | undefined): void => {
      socket.destroy();
      resolve(pid);
    };
    socket.setTimeout(1_000, () => finish(undefined));
    socket.once('error', () => finish(undefined));
    socket.once('connect', () => socket.write('INFO server\r\n'));
    socket.on('data', (chunk) => {
      text += chunk.toString();
      // -LOADING and other errors mean "not ready yet".
      if (text.startsWith('-')) return finish(undefined);
      const match = /\r\nprocess_id:(\d+)\r\n/.exec(text);
      if (match?.[1]) finish(Number(match[1]));
    });
    socket.once('close', () => finish(undefined));
  });
}
