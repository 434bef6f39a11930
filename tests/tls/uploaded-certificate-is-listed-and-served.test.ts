import t from 'tap';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { createTestCa } from '../helpers/test-ca.js';
import { handshake, httpsGet } from '../helpers/tls-client.js';

t.test(
  'an uploaded certificate is served by SNI (exact, then wildcard) and listed without its key',
  async (t) => {
    const backend = await startBackend(echoHandler('dinkes'));
    t.teardown(() => backend.stop());
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    const ca = await createTestCa();
    const host = 'dinkes.paserkab.go.id';
    t.equal((await gw.admin('PUT', `/v1/hosts/${host}`, simpleHost(backend.origin))).status, 201);

    const exact = await ca.issue([host]);
    const put = await gw.admin('PUT', `/v1/certificates/${host}`, exact);
    t.equal(put.status, 201, JSON.stringify(put.body));
    t.match(put.body, { host, source: 'uploaded', names: [host] });

    const res = await httpsGet(gw.gateway.ports.https, host, '/hello', ca.certificate);
    t.equal(res.status, 200, "a client trusting the uploader's CA accepts the served certificate");
    t.equal(JSON.parse(res.body).backend, 'dinkes');
    t.equal(JSON.parse(res.body).headers['x-forwarded-proto'], 'https', 'X-Forwarded-Proto says https');

    const wildcard = await ca.issue(['*.paserkab.go.id']);
    t.equal((await gw.admin('PUT', '/v1/certificates/*.paserkab.go.id', wildcard)).status, 201);
    const other = await handshake(gw.gateway.ports.https, {
      servername: 'disdik.paserkab.go.id',
      ca: ca.certificate,
    });
    t.equal(other.authorized, true, 'a one-label name falls back to the wildcard certificate');
    t.equal(other.peer.subjectaltname, 'DNS:*.paserkab.go.id');
    const own = await handshake(gw.gateway.ports.https, { servername: host, ca: ca.certificate });
    t.equal(own.peer.subjectaltname, `DNS:${host}`, 'the exact certificate wins over the wildcard');
    const deeper = await handshake(gw.gateway.ports.https, { servername: 'a.b.paserkab.go.id' });
    t.match(deeper.peer.subject, { CN: 'gerbang.invalid' }, 'a wildcard covers one label only');

    const list = await gw.admin('GET', '/v1/certificates');
    t.equal(list.status, 200);
    const rows = (list.body as { certificates: Array<Record<string, unknown>> }).certificates;
    t.same(
      rows.map((r) => [r.host, r.source]),
      [
        ['*.paserkab.go.id', 'uploaded'],
        [host, 'uploaded'],
      ],
    );
    t.notOk(JSON.stringify(list.body).includes('PRIVATE KEY'), 'the list never shows a key');
    t.ok(Date.parse(String(rows[1]?.notAfter)) > Date.now());

    const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text();
    t.match(
      metrics,
      new RegExp(`gerbang_tls_certificate_not_after_seconds\\{host="${host}",source="uploaded"\\} \\d+`),
    );
  },
);
