/** Runs Gerbang as its own process (`src/main.ts` through tsx), as operators do, to test signals, restarts and startup errors. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { freePorts } from './free-port.js';
import { TEST_ADMIN_TOKEN } from './gateway.js';

export interface GatewayProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly adminUrl: string;
  /** Every JSON log line so far. */
  readonly lines: Array<Record<string, unknown>>;
  /** Raw stderr text (startup errors). */
  stderr(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  waitForLine(
    match: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

export async function spawnGateway(
  env: Record<string, string>,
  options: { waitReady?: boolean /** Another entry point, e.g. src/demo/main.ts. */; entry?: string } = {},
): Promise<GatewayProcess> {
  // Three at once: picked one after another, two listeners of one gateway were seen to get the same port.
  const [httpPort, adminPort, httpsPort] = await freePorts(3);
  const child = spawn(process.execPath, ['--import', 'tsx', options.entry ?? 'src/main.ts'], {
    env: {
      ...process.env,
      GERBANG_HTTP_PORT: String(httpPort),
      GERBANG_HTTPS_PORT: String(httpsPort),
      GERBANG_ADMIN_PORT: String(adminPort),
      GERBANG_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      // No not-ready window on SIGTERM: a test that wants the shutdown grace sets it.
      GERBANG_SHUTDOWN_GRACE_MS: '0',
      GERBANG_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  let buffered = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      try {
        lines.push(JSON.parse(line));
      } catch {
        // Not a log line.
      }
      nl = buffered.indexOf('\n');
    }
    for (const w of waiters.splice(0)) w();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const waitForLine: GatewayProcess['waitForLine'] = (match, timeoutMs = 20_000) =>
    new Promise((resolve, reject) => {
      const deadline = setTimeout(
        () => reject(new Error(`no matching log line in ${timeoutMs} ms; stderr: ${stderr}`)),
        timeoutMs,
      );
      const check = () => {
        const hit = lines.find(match);
        if (hit) {
          clearTimeout(deadline);
          resolve(hit);
        } else if (child.exitCode !== null) {
          clearTimeout(deadline);
          reject(new Error(`gateway exited ${child.exitCode}: ${stderr}`));
        } else waiters.push(check);
      };
      check();
    });
  const proc: GatewayProcess = {
    child,
    url: `http://127.0.0.1:${httpPort}`,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    lines,
    stderr: () => stderr,
    exited,
    waitForLine,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
  if (options.waitReady !== false) {
    try {
      // Booting through tsx on two busy cores can take well over 20 s.
      await waitForLine((l) => l.msg === 'gerbang listening', 60_000);
    } catch (err) {
      // A gateway that never got ready must not outlive the test (tap would wait for it until its timeout).
      child.kill('SIGKILL');
      throw err;
    }
  }
  return proc;
}
