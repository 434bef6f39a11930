import { spawn } from 'node:child_process';
import t from 'tap';

t.test(
  'node dist/src/main.js --help prints how to start and configure Gerbang, and starts nothing',
  async (t) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--help'], {
      env: { PATH: process.env.PATH, GERBANG_HTTP_PORT: 'not-a-port' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    t.equal(code, 0, 'exits 0 (a bad variable is not even read)');
    t.match(stdout, /^gerbang — the edge gateway/);
    for (const variable of [
      'GERBANG_CONFIG',
      'GERBANG_HTTP_PORT',
      'GERBANG_REDIS_URL',
      'GERBANG_STATE_DIR',
    ]) {
      t.match(stdout, variable, `names ${variable}`);
    }
    t.match(stdout, /docs\/configuration\.md/);
  },
);
