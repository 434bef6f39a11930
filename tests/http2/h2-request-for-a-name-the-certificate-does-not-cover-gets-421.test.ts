import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { closeSession, h2Request, h2Session } from '../helpers/h2-client.js';
import { createTestCa } from '../helpers/test-ca.js';

t.test(
  'a coalesced HTTP/2 request for a name outside the connection certificate gets 421, never the other page',
  async (t) => {
    const dinkes = await startBackend((_req, res) => res.end('dinkes page'));
    const disdik = await startBackend((_req, res) => res.end('disdik page'));
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await dinkes.stop();
      await disdik.stop();
    });
    const ca = await createTestCa();
    const a = 'dinkes.paserkab.go.id';
    const b = 'disdik.paserkab.go.id';
    await gw.admin('PUT', `/v1/hosts/${a}`, simpleHost(dinkes.origin, { cache: {} }));
    await gw.admin('PUT', `/v1/hosts/${b}`, simpleHost(disdik.origin));
    // Each host has its own certificate: a's covers only a.
    await gw.admin('PUT', `/v1/certificates/${a}`, await ca.issue([a]));
    await gw.admin('PUT', `/v1/certificates/${b}`, await ca.issue([b]));
    const port = gw.gateway.ports.https;

    const session = await h2Session(port, a, ca.certificate);
    t.teardown(() => closeSession(session));
    t.equal((await h2Request(session, a, '/')).body, 'dinkes page');
    const misdirected = await h2Request(session, b, '/');
    t.equal(misdirected.status, 421, '421 Misdirected Request');
    t.notMatch(misdirected.body, /page/, "never the other host's page");
    t.match(misdirected.body, /sambungan/, 'the branded page');
    t.equal(disdik.seen.length, 0, "the other host's backend was not asked");
    const json = await h2Request(session, `${b}:${port}`, '/', { accept: 'application/json' });
    t.equal(json.status, 421);
    t.match(JSON.parse(json.body), { error: { code: 'MISDIRECTED_REQUEST' } });

    // A cached page of a is not served to a request for b either (the fresh-hit front comes after the check).
    const other = await h2Session(port, b, ca.certificate);
    t.teardown(() => closeSession(other));
    t.equal((await h2Request(other, a, '/')).status, 421);
    t.equal((await h2Request(other, b, '/')).body, 'disdik page', 'on its own connection b is served');
  },
);
