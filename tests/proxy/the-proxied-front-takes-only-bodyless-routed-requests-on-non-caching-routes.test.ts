import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pino } from 'pino';
import t from 'tap';
import { hashPassword } from '../../src/control/users/password.js';
import { TargetStates } from '../../src/data/health/target-state.js';
import { createProxiedFront } from '../../src/data/proxy/proxied-front.js';
import { buildProxyOptions } from '../../src/data/proxy/proxy-options.js';
import { UpstreamPools } from '../../src/data/proxy/upstream-pools.js';
import { compileSnapshot } from '../../src/data/routing/compile-snapshot.js';
import { createPublicAuthority } from '../../src/data/routing/public-authority.js';
import { createRoutingFront } from '../../src/data/routing/routing-front.js';
import { SnapshotHolder } from '../../src/data/routing/snapshot.js';
import type { HostDoc } from '../../src/model/host-schema.js';
import { GatewayMetrics } from '../../src/observability/metrics.js';
import { createRequestObserver } from '../../src/observability/request-observer.js';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { http, rawRequest } from '../helpers/http.js';
import { parseMetrics, sum } from '../helpers/metrics-text.js';

const HOST = 'portal.paserkab.go.id';
/** What the real server answers when the front leaves a request to the full path (fastify in the gateway). */
const PASSED = 299;

t.test(
  'the proxied front sends a bodyless routed request on a non-caching route upstream, and leaves everything else untouched',
  async (t) => {
    const backend = await startBackend(echoHandler('backend'));
    t.teardown(() => backend.stop());
    const metrics = new GatewayMetrics();
    const logger = pino({ level: 'silent' });
    const hash = await hashPassword('rahasia paser');
    const docs = [
      {
        host: HOST,
        routes: [
          { path: '/', targets: [backend.origin], cache: { enabled: false } },
          { path: '/simpan', targets: [backend.origin] },
        ],
      },
      { host: 'pindah.paserkab.go.id', routes: [], redirect: { to: 'https://baru.paserkab.go.id' } },
      {
        host: 'rawat.paserkab.go.id',
        maintenance: { enabled: true },
        routes: [{ path: '/', targets: [backend.origin], cache: { enabled: false } }],
      },
      {
        host: 'kunci.paserkab.go.id',
        access: { basicAuth: { users: [{ name: 'operator', hash }] } },
        routes: [{ path: '/', targets: [backend.origin], cache: { enabled: false } }],
      },
    ].map((doc) => ({ doc: doc as unknown as HostDoc, source: 'store' as const }));
    const errors: string[] = [];
    const holder = new SnapshotHolder();
    holder.swap(
      compileSnapshot(docs, new TargetStates(), 1, (host, err) => errors.push(`${host}: ${err.message}`))
        .snapshot,
    );
    t.same(errors, [], 'every host compiles');

    let closing = false;
    let hasCache = true;
    /** What reached the fallback, with the body it could still read. */
    const fallback: Array<{ method: string; url: string; body: string }> = [];
    const observer = createRequestObserver({ logger, metrics, accessLog: false });
    const server = createServer();
    const arrived = observer.observeListener(server, 'http');
    const routing = createRoutingFront({
      holder,
      isPlain: true,
      answersAcme: false,
      directoryHost: undefined,
    });
    const hooks = buildProxyOptions({
      scheme: 'http',
      authority: createPublicAuthority('http', { host: '127.0.0.1', port: 0 }, server),
      isTrusted: () => false,
      onUpstreamError: () => undefined,
    });
    const pools = new UpstreamPools();
    t.teardown(() => pools.close());
    const frontOf = (withCache: boolean) =>
      createProxiedFront({
        scheme: 'http',
        routing,
        pools,
        hooks,
        observer,
        arrived,
        services: {},
        hasCache: withCache,
        isClosing: () => closing,
      });
    const withCache = frontOf(true);
    const withoutCache = frontOf(false);
    server.on('request', (req, res) => {
      if ((hasCache ? withCache : withoutCache)(req, res)) return;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        fallback.push({
          method: req.method ?? '',
          url: req.url ?? '',
          body: Buffer.concat(chunks).toString(),
        });
        res.writeHead(PASSED);
        res.end();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.teardown(() => {
      server.closeAllConnections();
      server.close();
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const send = (path: string, options: Parameters<typeof http>[1] = {}) =>
      http(`${url}${path}`, { host: HOST, ...options });

    const taken = await send('/laporan?tahun=2026', { headers: { 'x-request-id': 'front-unit-0001' } });
    t.equal(taken.status, 200, 'a plain GET is proxied by the front');
    t.equal(JSON.parse(taken.body).url, '/laporan?tahun=2026', 'to the backend, query kept');
    t.equal(taken.headers['x-request-id'], 'front-unit-0001', 'with the request id');
    t.equal(backend.seen.at(-1)?.headers['x-request-id'], 'front-unit-0001');
    const head = await send('/laporan', { method: 'HEAD' });
    t.equal(head.status, 200, 'HEAD too');
    const zero = await send('/kosong', { method: 'POST', headers: { 'content-length': '0' } });
    t.equal(zero.status, 200, 'a POST with Content-Length: 0 carries no body: taken');
    t.equal(fallback.length, 0, 'nothing reached the fallback yet');

    const left: Array<[string, string, Parameters<typeof http>[1], string]> = [
      ['a Content-Length body', '/unggah', { method: 'POST', body: 'halo!' }, 'halo!'],
      // A stream body: Node's client sends it chunked, with no Content-Length.
      [
        'a chunked body',
        '/unggah',
        { method: 'PUT', body: Readable.from([Buffer.from('potongan')]) },
        'potongan',
      ],
      ['a caching route on a listener with a cache', '/simpan/berita', {}, ''],
      ['a redirect host', '/', { host: 'pindah.paserkab.go.id' }, ''],
      ['a host under maintenance', '/', { host: 'rawat.paserkab.go.id' }, ''],
      ['an unknown host', '/', { host: 'tidak-ada.paserkab.go.id' }, ''],
      ['a basic-auth host without credentials', '/', { host: 'kunci.paserkab.go.id' }, ''],
    ];
    for (const [what, path, options, body] of left) {
      const before = backend.seen.length;
      const res = await send(path, options);
      t.equal(res.status, PASSED, `${what}: left to the fallback`);
      t.same(
        fallback.at(-1),
        { method: options?.method ?? 'GET', url: path, body },
        `${what}: reached it untouched`,
      );
      t.equal(backend.seen.length, before, `${what}: nothing sent upstream`);
    }

    // Written as it is: a URL parser would take the dot segment out before it is sent.
    const climbing = await rawRequest(
      Number(new URL(url).port),
      `GET /a/../b HTTP/1.1\r\nHost: ${HOST}\r\nConnection: close\r\n\r\n`,
    );
    t.match(climbing, new RegExp(`^HTTP/1\\.1 ${PASSED} `), 'a dot-segment escape: left to the fallback');
    t.same(
      fallback.at(-1),
      { method: 'GET', url: '/a/../b', body: '' },
      'a dot-segment escape: reached it untouched',
    );

    hasCache = false;
    t.equal(
      (await send('/simpan/berita')).status,
      200,
      'a caching route on a listener without a cache: taken',
    );
    hasCache = true;
    closing = true;
    const before = fallback.length;
    t.equal((await send('/laporan')).status, PASSED, 'a closing listener: left to the fallback (its 503)');
    t.equal(fallback.length, before + 1);

    const samples = parseMetrics(await metrics.registry.metrics());
    t.equal(sum(samples, 'gerbang_requests_total', { host: HOST }), 4, 'the four it took are counted');
    t.equal(sum(samples, 'gerbang_requests_in_flight', { listener: 'http' }), 0, 'none left in flight');
  },
);
