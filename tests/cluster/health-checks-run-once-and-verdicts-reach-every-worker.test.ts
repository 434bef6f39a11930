import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { TEST_ADMIN_TOKEN } from '../helpers/gateway.js';
import { spawnGateway } from '../helpers/gateway-process.js';
import { http } from '../helpers/http.js';
import { waitFor } from '../helpers/wait-for.js';

t.test(
  'with two workers, health checks run once (on the primary) and their verdicts steer every worker',
  async (t) => {
    let bHealthy = true;
    let bChecks = 0;
    const a = await startBackend(echoHandler('a'));
    const echoB = echoHandler('b');
    const b = await startBackend((req, res) => {
      if (req.url !== '/healthz') return echoB(req, res);
      bChecks++;
      res.writeHead(bHealthy ? 200 : 500, { 'content-length': 0 });
      res.end();
    });
    const dir = await mkdtemp(join(tmpdir(), 'gerbang-cluster-health-'));
    await writeFile(
      join(dir, 'gerbang.yaml'),
      'zones: [paserkab.go.id]\nbackends: { allow: [127.0.0.0/8] }\n',
    );
    const gw = await spawnGateway({
      GERBANG_CONFIG: join(dir, 'gerbang.yaml'),
      GERBANG_STATE_DIR: dir,
      GERBANG_WORKERS: '2',
    });
    t.teardown(async () => {
      await gw.stop();
      await Promise.all([a.stop(), b.stop()]);
      await rm(dir, { recursive: true, force: true });
    });
    const admin = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(gw.adminUrl + path, {
        method,
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as unknown };
    };
    const host = 'dinkes.paserkab.go.id';
    const healthCheck = {
      path: '/healthz',
      intervalMs: 250,
      timeoutMs: 200,
      unhealthyThreshold: 1,
      healthyThreshold: 1,
    };
    t.equal(
      (
        await admin('PUT', `/v1/hosts/${host}`, {
          routes: [{ path: '/', targets: [a.origin, b.origin], healthCheck }],
        })
      ).status,
      201,
    );

    await sleep(300);
    const before = bChecks;
    await sleep(2_000);
    t.ok(
      bChecks - before <= 12,
      `one probe loop for the cluster, not one per worker (${bChecks - before} in 2 s)`,
    );

    bHealthy = false;
    await waitFor(
      'b unhealthy',
      async () => {
        const status = (await admin('GET', `/v1/status?host=${host}`)).body as {
          hosts: Array<{ routes: Array<{ targets: Array<{ target: string; condition: string }> }> }>;
        };
        return (
          status.hosts[0]?.routes[0]?.targets.find((x) => x.target === b.origin)?.condition === 'unhealthy'
        );
      },
      10_000,
    );
    const seen = b.seen.filter((r) => r.url !== '/healthz').length;
    // Fresh connections spread over both workers.
    for (let i = 0; i < 20; i++) t.equal(JSON.parse((await http(`${gw.url}/`, { host })).body).backend, 'a');
    t.equal(
      b.seen.filter((r) => r.url !== '/healthz').length,
      seen,
      'no worker sent traffic to the unhealthy target',
    );
  },
);
