import t from 'tap';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { createTestCa } from '../helpers/test-ca.js';
import { httpsGet } from '../helpers/tls-client.js';

t.test(
  'forceHttps answers plain HTTP with 308 (ACME challenges excepted); hsts is sent over HTTPS only',
  async (t) => {
    const backend = await startBackend(echoHandler('portal'));
    t.teardown(() => backend.stop());
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    const strict = 'dinkes.paserkab.go.id';
    const relaxed = 'disdik.paserkab.go.id';
    const put = await gw.admin('PUT', `/v1/hosts/${strict}`, {
      ...simpleHost(backend.origin),
      forceHttps: true,
      hsts: { maxAge: 600, includeSubDomains: true },
    });
    t.equal(put.status, 201, JSON.stringify(put.body));
    t.match(put.body, { forceHttps: true, hsts: { maxAge: 600 } }, 'the fields are stored');
    t.equal(
      (await gw.admin('PUT', `/v1/hosts/${relaxed}`, { ...simpleHost(backend.origin), hsts: true })).status,
      201,
    );
    const bad = await gw.admin('PUT', `/v1/hosts/${relaxed}`, {
      ...simpleHost(backend.origin),
      hsts: { maxAge: -1 },
    });
    t.match(bad, { status: 400, body: { error: { code: 'VALIDATION_FAILED', message: /hsts/ } } });

    const redirected = await http(`${gw.url}/a/b?c=1`, { host: `${strict}:8080`, method: 'POST', body: 'x' });
    t.equal(redirected.status, 308);
    t.equal(redirected.headers.location, `https://${strict}/a/b?c=1`);
    t.equal(backend.seen.length, 0, 'nothing reached the backend');
    const challenge = await http(`${gw.url}/.well-known/acme-challenge/someTokenThatIsLongEnough`, {
      host: strict,
    });
    t.equal(challenge.status, 404, 'the ACME challenge path is answered on plain HTTP, not redirected');
    const plain = await http(`${gw.url}/`, { host: relaxed });
    t.equal(plain.status, 200, 'a host without forceHttps is proxied over plain HTTP');
    t.equal(plain.headers['strict-transport-security'], undefined, 'no HSTS on plain HTTP');
    t.equal(JSON.parse(plain.body).headers['x-forwarded-proto'], 'http');

    const ca = await createTestCa();
    for (const host of [strict, relaxed]) {
      t.equal((await gw.admin('PUT', `/v1/certificates/${host}`, await ca.issue([host]))).status, 201);
    }
    const secure = await httpsGet(gw.gateway.ports.https, strict, '/', ca.certificate);
    t.equal(secure.status, 200);
    t.equal(secure.headers['strict-transport-security'], 'max-age=600; includeSubDomains');
    const defaults = await httpsGet(gw.gateway.ports.https, relaxed, '/', ca.certificate);
    t.equal(defaults.headers['strict-transport-security'], 'max-age=31536000', '`hsts: true` is one year');
  },
);
