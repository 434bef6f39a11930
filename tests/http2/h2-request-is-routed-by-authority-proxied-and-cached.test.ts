import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { closeSession, h2Request, h2Session } from '../helpers/h2-client.js';
import { createTestCa } from '../helpers/test-ca.js';
import { handshake } from '../helpers/tls-client.js';
import { metricValue } from '../helpers/wait-for.js';

t.test(
  'an HTTP/2 request takes the HTTP/1.1 path: routing by :authority, proxy, cache hit, error page',
  async (t) => {
    const backend = await startBackend((req, res) => {
      res.writeHead(200, {
        'content-type': 'text/plain',
        'cache-control': req.url === '/cached' ? 'public, max-age=60' : 'no-store',
        // What an HTTP/1.1 backend sends: none of it may reach an HTTP/2 client.
        connection: 'keep-alive, x-hop',
        'keep-alive': 'timeout=5',
        'x-hop': 'per-connection',
        'x-kept': 'yes',
      });
      res.end(`${req.headers.host} ${req.url} ${req.headers['x-forwarded-proto']}`);
    });
    const other = await startBackend((_req, res) => res.end('other portal'));
    const logLines: Array<Record<string, unknown>> = [];
    const gw = await startTestGateway({ logLines });
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
      await other.stop();
    });
    const ca = await createTestCa();
    const host = 'dinkes.paserkab.go.id';
    t.equal(
      (await gw.admin('PUT', `/v1/hosts/${host}`, simpleHost(backend.origin, { cache: {} }))).status,
      201,
    );
    t.equal((await gw.admin('PUT', '/v1/hosts/disdik.paserkab.go.id', simpleHost(other.origin))).status, 201);
    t.equal(
      (await gw.admin('PUT', '/v1/certificates/*.paserkab.go.id', await ca.issue(['*.paserkab.go.id'])))
        .status,
      201,
    );
    const port = gw.gateway.ports.https;

    const alpn = await handshake(port, { servername: host, ALPNProtocols: ['h2', 'http/1.1'] });
    t.equal(alpn.alpn, 'h2', 'ALPN picks h2 when the client offers it');
    const h1 = await handshake(port, { servername: host, ALPNProtocols: ['http/1.1'] });
    t.equal(h1.alpn, 'http/1.1', 'and http/1.1 on the same port for clients that offer only that');

    const session = await h2Session(port, host, ca.certificate);
    t.teardown(() => closeSession(session));
    const proxied = await h2Request(session, host, '/page?x=1');
    t.equal(proxied.status, 200);
    t.equal(
      proxied.body,
      `${host}:${port} /page?x=1 https`,
      'routed by :authority, proxied with the public authority and the https forwarded proto',
    );
    t.equal(proxied.headers['x-kept'], 'yes');
    for (const name of ['connection', 'keep-alive', 'x-hop', 'transfer-encoding'])
      t.equal(proxied.headers[name], undefined, `no ${name} on the HTTP/2 response`);

    // Coalesced onto the same connection (the wildcard covers it): the other host's own page.
    const coalesced = await h2Request(session, 'disdik.paserkab.go.id', '/');
    t.equal(coalesced.body, 'other portal');

    const first = await h2Request(session, host, '/cached');
    const hit = await h2Request(session, host, '/cached');
    t.equal(hit.status, 200);
    t.equal(hit.body, first.body);
    t.match(String(hit.headers['cache-status']), /hit/, 'the second one is a cache hit');
    t.equal(hit.headers.connection, undefined);
    t.equal(backend.seen.filter((s) => s.url === '/cached').length, 1, 'the backend saw /cached once');

    const unknown = await h2Request(session, 'nope.paserkab.go.id', '/');
    t.equal(unknown.status, 404, 'an unknown host gets the branded 404');
    t.match(unknown.body, /Situs tidak ditemukan/);
    t.ok(unknown.headers['x-request-id']);

    await gw.admin('PUT', '/v1/hosts/simpus.paserkab.go.id', {
      ...simpleHost(other.origin),
      maintenance: { enabled: true },
    });
    const maintenance = await h2Request(session, 'simpus.paserkab.go.id', '/');
    t.equal(maintenance.status, 503, 'a host in maintenance gets its page over h2 too');
    t.equal(other.seen.length, 1, 'without its backend being asked');

    const twoHosts = await h2Request(session, host, '/x', { host: 'disdik.paserkab.go.id' });
    t.equal(twoHosts.status, 400, 'a Host field naming another host than :authority is malformed');

    const line = logLines.find((l) => l.log === 'access' && l.url === '/page?x=1');
    t.match(line, { host, protocol: 'h2', status: 200 }, 'the access line names the host and the protocol');
    const h2Count = await metricValue(gw.adminUrl, 'gerbang_requests_by_protocol_total', { protocol: 'h2' });
    t.ok(h2Count >= 6, `requests counted by protocol (h2: ${h2Count})`);
    const total = await metricValue(gw.adminUrl, 'gerbang_requests_total', { host });
    t.equal(total, 3, 'and in the requests total like any other (the fresh hit too)');
  },
);
