import { spawn } from 'node:child_process';
import t from 'tap';

const FIXTURE = new URL('../fixtures/log-then-exit.ts', import.meta.url).pathname;

t.test(
  'a process whose log reader stopped reading (a stuck shipper, `npm start | less`) still exits, with its code',
  async (t) => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pause(); // the pipe fills and stays full: nobody reads it
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      new Promise<number | null>((resolve) => child.on('exit', resolve)),
      new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve('still running'), 30_000);
      }),
    ]);
    clearTimeout(timer);
    if (code === 'still running') child.kill('SIGKILL');
    t.equal(code, 78, 'exits with the code it chose instead of waiting for the reader for ever');
  },
);
