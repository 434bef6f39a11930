import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { waitFor } from '../helpers/wait-for.js';

t.test(
  'every target unhealthy: the stored page when the host allows stale, else a branded 503; no backend is tried',
  async (t) => {
    let healthy = true;
    const pages: string[] = [];
    const handler =
      (name: string) =>
      (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
        if (req.url === '/healthz') {
          res.writeHead(healthy ? 200 : 500, { 'content-length': 0 });
          res.end();
          return;
        }
        pages.push(`${name} ${req.url}`);
        res.writeHead(200, { 'cache-control': 'max-age=1', 'content-type': 'text/plain' });
        res.end(`halaman ${req.url}`);
      };
    const a = await startBackend(handler('a'));
    const b = await startBackend(handler('b'));
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await Promise.all([a.stop(), b.stop()]);
    });
    const healthCheck = {
      path: '/healthz',
      intervalMs: 200,
      timeoutMs: 150,
      unhealthyThreshold: 1,
      healthyThreshold: 1,
    };
    const route = { path: '/', targets: [a.origin, b.origin], healthCheck };
    await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', { routes: [route], serveStaleOnError: 600 });
    await gw.admin('PUT', '/v1/hosts/disdik.paserkab.go.id', {
      routes: [{ ...route, cache: { enabled: false } }],
    });

    t.equal(
      (await http(`${gw.url}/jadwal`, { host: 'dinkes.paserkab.go.id' })).status,
      200,
      'stored while up',
    );
    healthy = false;
    await waitFor(
      'both targets down',
      async () => {
        const res = await gw.admin('GET', '/v1/status?host=dinkes.paserkab.go.id');
        return (res.body as { hosts: Array<{ status: string }> }).hosts[0]?.status === 'down';
      },
      10_000,
    );
    await sleep(1_100); // the stored page is stale now
    const tried = pages.length;

    const stale = await http(`${gw.url}/jadwal`, { host: 'dinkes.paserkab.go.id' });
    t.equal(stale.status, 200);
    t.equal(stale.body, 'halaman /jadwal');
    t.match(stale.headers['cache-status'], /fwd=stale.*detail=no-healthy-target/);

    const uncached = await http(`${gw.url}/lain`, {
      host: 'dinkes.paserkab.go.id',
      headers: { accept: 'application/json' },
    });
    t.equal(uncached.status, 503, 'nothing stored for this page');
    t.equal(JSON.parse(uncached.body).error.code, 'UPSTREAM_UNAVAILABLE');

    const noCache = await http(`${gw.url}/`, { host: 'disdik.paserkab.go.id' });
    t.equal(noCache.status, 503);
    t.match(noCache.headers['content-type'], /text\/html/, 'the branded page');
    t.ok(noCache.headers['x-request-id'], 'with the request id');
    t.equal(pages.length, tried, 'no backend was tried while none is healthy');

    healthy = true;
    await waitFor(
      'served again',
      async () => (await http(`${gw.url}/`, { host: 'disdik.paserkab.go.id' })).status === 200,
      10_000,
    );
  },
);
