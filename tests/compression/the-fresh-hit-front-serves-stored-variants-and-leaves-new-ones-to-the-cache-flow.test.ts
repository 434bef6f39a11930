import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync } from 'node:zlib';
import { pino } from 'pino';
import t from 'tap';
import { resolveCacheConfig } from '../../src/config/cache-config.js';
import { makeEntry } from '../../src/data/cache/cache-entry.js';
import { createFreshHitFront } from '../../src/data/cache/fresh-hit-front.js';
import { SharedCache } from '../../src/data/cache/shared-cache.js';
import { CompressionMeter } from '../../src/data/compression/compression-meter.js';
import { compileCompression } from '../../src/data/compression/compression-plan.js';
import { makeVariant } from '../../src/data/compression/stored-variants.js';
import { TargetStates } from '../../src/data/health/target-state.js';
import { compileSnapshot } from '../../src/data/routing/compile-snapshot.js';
import { createRoutingFront } from '../../src/data/routing/routing-front.js';
import { SnapshotHolder } from '../../src/data/routing/snapshot.js';
import type { HostDoc } from '../../src/model/host-schema.js';
import { GatewayMetrics } from '../../src/observability/metrics.js';
import { createRequestObserver } from '../../src/observability/request-observer.js';
import { pageOf, rawFetch } from './kit.js';

const HOST = 'portal.paserkab.go.id';
const PASSED = 299;
const PAGE = pageOf(4096);

t.test(
  'the fresh-hit front serves a stored br variant as stored bytes, and passes a coding not made yet',
  async (t) => {
    const metrics = new GatewayMetrics();
    const logger = pino({ level: 'silent' });
    const cache = new SharedCache({
      config: resolveCacheConfig(undefined),
      redis: undefined,
      metrics,
      logger,
    });
    const meter = new CompressionMeter(metrics, (entry) => cache.memory.touch(entry.key));
    const holder = new SnapshotHolder();
    const doc = { host: HOST, routes: [{ path: '/', targets: ['http://127.0.0.1:9'] }] } as HostDoc;
    holder.swap(compileSnapshot([{ doc, source: 'store' }], new TargetStates(), 1, () => undefined).snapshot);
    const front = createFreshHitFront({
      scheme: 'http',
      routing: createRoutingFront({ holder, isPlain: true, answersAcme: false, directoryHost: undefined }),
      cache,
      observer: createRequestObserver({ logger, metrics, accessLog: false }),
      compression: meter,
      isClosing: () => false,
    });
    const server = createServer((req, res) => {
      if (front(req, res)) return;
      res.writeHead(PASSED);
      res.end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.teardown(() => server.close());
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/halaman`;

    const now = Date.now();
    const entry = makeEntry({
      key: `http://${HOST}/halaman`,
      hostName: HOST,
      hostLabel: HOST,
      url: '/halaman',
      status: 200,
      headers: { 'cache-control': 'max-age=600', 'content-type': 'text/html', etag: '"h1"' },
      ageHeader: undefined,
      body: PAGE,
      varyNames: [],
      varyValues: [],
      requestTime: now,
      responseTime: now,
    });
    cache.store(entry, 0);
    const before = cache.memory.bytes;

    t.equal(
      (await rawFetch(url, { 'accept-encoding': 'br' })).status,
      PASSED,
      'br not made yet: the cache flow makes it',
    );
    const identity = await rawFetch(url, {});
    t.equal(identity.status, 200, 'identity is answered here');
    t.equal(identity.headers.vary, 'Accept-Encoding');
    t.equal(identity.headers.etag, '"h1"');
    t.ok(identity.body.equals(PAGE));

    const plan = compileCompression(doc, doc.routes[0] as HostDoc['routes'][number]);
    if (plan === undefined) throw new Error('compression is on by default');
    await new Promise<void>((resolve) =>
      makeVariant({ entry, coding: 'br', plan, meter, host: HOST }, () => resolve()),
    );
    t.ok(cache.memory.bytes > before, 'the variant counts against the memory tier');

    const br = await rawFetch(url, { 'accept-encoding': 'gzip, br' });
    t.equal(br.status, 200, 'the stored br variant is answered here');
    t.equal(br.headers['content-encoding'], 'br');
    t.equal(br.headers.etag, '"h1-br"');
    t.equal(br.headers['content-length'], String(br.body.length));
    t.ok(brotliDecompressSync(br.body).equals(PAGE));
    t.equal((await rawFetch(url, { 'accept-encoding': 'gzip' })).status, PASSED, 'gzip, not made: passed');
    const text = await metrics.registry.metrics();
    t.match(
      text,
      /gerbang_compression_runs_total\{host="portal.paserkab.go.id",encoding="br",source="stored"\} 1/,
    );
    t.match(
      text,
      new RegExp(`gerbang_compression_input_bytes_total\\{host="${HOST}",encoding="br"\\} ${PAGE.length}`),
    );
  },
);
