import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import t from 'tap';
import { freePort } from '../helpers/free-port.js';
import { startTestGateway } from '../helpers/gateway.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const dockerfile = readFileSync(join(REPO, 'Dockerfile'), 'utf8');
/** Instructions with their continuation lines joined. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const stages = instructions.filter((l) => /^FROM /i.test(l));
const runStage = instructions.slice(instructions.lastIndexOf(stages.at(-1) as string));
const jsonArgs = (line: string | undefined) =>
  JSON.parse((line ?? '').replace(/^\w+(\s+--\S+)*\s+(CMD\s+)?/i, ''));

t.test(
  'the image is built in one stage and runs from another with production dependencies only',
  async (t) => {
    t.ok(stages.length >= 2, 'multi-stage');
    t.ok(
      runStage.some((l) => /npm ci --omit=dev --ignore-scripts/.test(l)),
      'the run stage installs production dependencies without scripts',
    );
    t.ok(
      runStage.some((l) => /^COPY --from=build .*dist/.test(l)),
      'the run stage takes the compiled code',
    );
    t.ok(
      runStage.some((l) => /^USER (?!root|0\b)\S+/.test(l)),
      'the run stage switches to a non-root user',
    );
    t.ok(
      runStage.some((l) => /^VOLUME .*\/data/.test(l)),
      'state is a volume',
    );
    t.ok(
      runStage.some((l) => /^EXPOSE 8080 8443 9180/.test(l)),
      'the ports are documented',
    );
    t.same(
      jsonArgs(runStage.find((l) => /^ENTRYPOINT/.test(l))),
      ['/usr/bin/tini', '--'],
      'tini forwards SIGTERM',
    );
    t.same(
      jsonArgs(runStage.find((l) => /^CMD/.test(l))),
      ['node', 'dist/src/main.js'],
      'node runs directly (no prestart)',
    );
  },
);

t.test('every package the gateway imports at run time is a production dependency', async (t) => {
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const files = readdirSync(join(REPO, 'src'), { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.ts') && !f.startsWith('demo'),
  );
  const missing = new Set<string>();
  for (const f of files) {
    const text = readFileSync(join(REPO, 'src', f), 'utf8');
    // Type-only imports vanish at compile time; everything else must be installed in the image.
    for (const m of text.matchAll(
      /^\s*import\s+(?!type\s)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm,
    )) {
      const spec = (m[1] ?? m[2]) as string;
      if (spec.startsWith('.') || spec.startsWith('node:')) continue;
      const name = spec.startsWith('@')
        ? spec.split('/').slice(0, 2).join('/')
        : (spec.split('/')[0] as string);
      if (!(name in pkg.dependencies)) missing.add(`${name} (src/${f})`);
    }
  }
  t.same([...missing], [], 'no run-time import of a devDependency');
});

t.test("the HEALTHCHECK command passes on a live gateway's admin port and fails on a dead one", async (t) => {
  const healthcheck = runStage.find((l) => /^HEALTHCHECK/.test(l));
  const argv = jsonArgs(healthcheck) as string[];
  t.equal(argv[0], 'node');
  // Asynchronously: the gateway answering it lives in this process.
  const run = (port: number) =>
    new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, argv.slice(1), {
        env: { ...process.env, GERBANG_ADMIN_PORT: String(port) },
        stdio: 'ignore',
        timeout: 20_000,
      });
      child.on('error', reject);
      child.on('exit', (code) => resolve(code));
    });
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  t.equal(await run(gw.gateway.ports.admin), 0, 'healthy');
  t.equal(await run(await freePort()), 1, 'unhealthy when nothing answers');
});
