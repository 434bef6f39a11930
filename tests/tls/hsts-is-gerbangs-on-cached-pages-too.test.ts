import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { createTestCa } from '../helpers/test-ca.js';
import { httpsGet } from '../helpers/tls-client.js';

const HOST = 'dinkes.paserkab.go.id';
const HSTS = 'max-age=600; includeSubDomains';

t.test("over HTTPS, a host's hsts setting is the one sent on proxied and cached pages alike", async (t) => {
  const { backend, gw, put } = await proxiedHost(
    t,
    HOST,
    (_req, res) => {
      // A legacy portal with its own, weaker policy: Gerbang's replaces it rather than sitting beside it.
      res.writeHead(200, {
        'strict-transport-security': 'max-age=1',
        'cache-control': 'max-age=600',
        'content-type': 'text/html',
      });
      res.end('<p>beranda</p>');
    },
    { hostDoc: (origin) => ({ ...simpleHost(origin), hsts: { maxAge: 600, includeSubDomains: true } }) },
  );
  t.equal(put.status, 201);
  const ca = await createTestCa();
  t.equal((await gw.admin('PUT', `/v1/certificates/${HOST}`, await ca.issue([HOST]))).status, 201);
  const port = gw.gateway.ports.https;

  const miss = await httpsGet(port, HOST, '/', ca.certificate);
  t.match(miss.headers['cache-status'], /fwd=uri-miss; stored/);
  t.equal(miss.headers['strict-transport-security'], HSTS, 'proxied');
  const hit = await httpsGet(port, HOST, '/', ca.certificate);
  t.match(hit.headers['cache-status'], /^gerbang; hit/);
  t.equal(hit.headers['strict-transport-security'], HSTS, 'a plain hit');
  const range = await httpsGet(port, HOST, '/', ca.certificate, { range: 'bytes=0-2' });
  t.equal(range.status, 206);
  t.equal(range.body, '<p>');
  t.equal(range.headers['strict-transport-security'], HSTS, 'a range served from the stored page');
  const notModified = await httpsGet(port, HOST, '/', ca.certificate, {
    'if-modified-since': 'x',
    'cache-control': 'max-stale=1',
  });
  t.equal(notModified.headers['strict-transport-security'], HSTS, 'a hit through the full cache flow');
  t.equal(backend.seen.length, 1, 'the backend was asked once');
});
