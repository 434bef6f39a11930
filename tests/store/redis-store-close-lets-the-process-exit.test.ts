/** close() leaves no socket, timer or reconnect attempt behind: the process exits, whether Redis is up or down. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { freePort } from '../helpers/free-port.js';
import { startRedis } from '../helpers/redis-server.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/open-and-close-redis-store.ts', import.meta.url));
const EXIT_WITHIN_MS = 1_000;

/** Runs the fixture; resolves with its exit code and output, or with code 'hung' if it outlives the deadline. */
function runFixture(url: string): Promise<{ code: number | null | 'hung'; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import=tsx', FIXTURE, url], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    let hung = false;
    // Counted from the "closed" line, so tsx's compile time does not eat into the budget.
    let timer: NodeJS.Timeout | undefined;
    const startTimer = (): void => {
      timer ??= setTimeout(() => {
        hung = true;
        child.kill('SIGKILL');
      }, EXIT_WITHIN_MS);
    };
    child.stdout.on('data', () => {
      if (output.includes('closed')) startTimer();
    });
    const overall = setTimeout(startTimer, 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      clearTimeout(overall);
      resolve({ code: hung ? 'hung' : code, output });
    });
  });
}

t.test('after close() the process exits with Redis up', async (t) => {
  const redis = await startRedis();
  t.teardown(() => redis.stop());
  const { code, output } = await runFixture(redis.url);
  t.equal(code, 0, 'the process exits by itself', { output });
  t.match(output, /closed disconnected/);
});

t.test('after close() the process exits with Redis down (reconnects pending)', async (t) => {
  const port = await freePort();
  const { code, output } = await runFixture(`redis://127.0.0.1:${port}`);
  t.equal(code, 0, 'the process exits by itself', { output });
  t.match(output, /closed disconnected/);
});
