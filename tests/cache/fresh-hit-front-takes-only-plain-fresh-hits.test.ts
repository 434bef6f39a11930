import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import t from 'tap';
import { resolveCacheConfig } from '../../src/config/cache-config.js';
import { makeEntry } from '../../src/data/cache/cache-entry.js';
import { createFreshHitFront } from '../../src/data/cache/fresh-hit-front.js';
import { SharedCache } from '../../src/data/cache/shared-cache.js';
import { TargetStates } from '../../src/data/health/target-state.js';
import { compileSnapshot } from '../../src/data/routing/compile-snapshot.js';
import { createRoutingFront } from '../../src/data/routing/routing-front.js';
import { SnapshotHolder } from '../../src/data/routing/snapshot.js';
import type { HostDoc } from '../../src/model/host-schema.js';
import { GatewayMetrics } from '../../src/observability/metrics.js';
import { createRequestObserver } from '../../src/observability/request-observer.js';
import { http } from '../helpers/http.js';

const HOST = 'portal.paserkab.go.id';
/** What the real server answers when the front leaves a request to the full path (fastify in the gateway). */
const PASSED = 299;

t.test(
  'the fresh-hit front answers a fresh stored 200 with no request directive, and leaves everything else',
  async (t) => {
    const metrics = new GatewayMetrics();
    const logger = pino({ level: 'silent' });
    const cache = new SharedCache({
      config: resolveCacheConfig(undefined),
      redis: undefined,
      metrics,
      logger,
    });
    const holder = new SnapshotHolder();
    const doc = { host: HOST, routes: [{ path: '/', targets: ['http://127.0.0.1:9'] }] } as HostDoc;
    holder.swap(compileSnapshot([{ doc, source: 'store' }], new TargetStates(), 1, () => undefined).snapshot);
    let closing = false;
    const front = createFreshHitFront({
      scheme: 'http',
      routing: createRoutingFront({ holder, isPlain: true, answersAcme: false, directoryHost: undefined }),
      cache,
      observer: createRequestObserver({ logger, metrics, accessLog: false }),
      isClosing: () => closing,
    });
    const server = createServer((req, res) => {
      if (front(req, res)) return;
      res.writeHead(PASSED);
      res.end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.teardown(() => server.close());
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const now = Date.now();
    const store = (path: string, status: number, cacheControl: string): void =>
      cache.store(
        makeEntry({
          key: `http://${HOST}${path}`,
          hostName: HOST,
          hostLabel: HOST,
          url: path,
          status,
          headers: { 'cache-control': cacheControl, 'content-type': 'text/plain', 'content-length': '7' },
          ageHeader: undefined,
          body: Buffer.from('stored!'),
          varyNames: [],
          varyValues: [],
          requestTime: now,
          responseTime: now,
        }),
        0,
      );
    store('/fresh', 200, 'max-age=600');
    store('/stale', 200, 'max-age=0');
    store('/gone', 404, 'max-age=600');

    const get = (path: string, options: Parameters<typeof http>[1] = {}) =>
      http(`${url}${path}`, { host: HOST, ...options });
    const hit = await get('/fresh');
    t.equal(hit.status, 200, 'a fresh stored 200 is answered by the front');
    t.equal(hit.body, 'stored!');
    t.match(hit.headers['cache-status'], /^gerbang; hit; ttl=\d+$/);
    t.ok(hit.headers['x-request-id'], 'with a request id');
    const head = await get('/fresh', { method: 'HEAD' });
    t.equal(head.status, 200, 'HEAD too');
    t.equal(head.headers['content-length'], '7', 'with the stored length');
    t.equal(head.body, '');

    const passed: Array<[string, string, Parameters<typeof http>[1]]> = [
      ['a request Cache-Control', '/fresh', { headers: { 'cache-control': 'max-age=600' } }],
      ['Pragma', '/fresh', { headers: { pragma: 'no-cache' } }],
      ['If-None-Match', '/fresh', { headers: { 'if-none-match': '"x"' } }],
      ['If-Modified-Since', '/fresh', { headers: { 'if-modified-since': new Date().toUTCString() } }],
      ['a Range', '/fresh', { headers: { range: 'bytes=0-1' } }],
      ['another method', '/fresh', { method: 'POST', body: 'x' }],
      ['a stale entry', '/stale', {}],
      ['a stored status other than 200', '/gone', {}],
      ['nothing stored', '/absent', {}],
      ['an unknown host', '/fresh', { host: 'lain.paserkab.go.id' }],
    ];
    for (const [what, path, options] of passed)
      t.equal((await get(path, options)).status, PASSED, `${what}: left to the full path`);
    closing = true;
    t.equal((await get('/fresh')).status, PASSED, 'a closing listener: left to the full path (its 503)');

    const text = await metrics.registry.metrics();
    t.match(
      text,
      new RegExp(`gerbang_cache_requests_total\\{host="${HOST}",result="hit"\\} 2`),
      'two hits counted',
    );
  },
);
